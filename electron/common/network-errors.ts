/**
 * Node's socket, DNS and TLS error codes as sentences: the cause and the way out. Pure text, so
 * the UI can explain a code it got in an error's details as well.
 */

export interface NetworkContext {
  host: string;
  port: number;
  transport: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  /** The SNI name when the profile sets one. */
  servername?: string;
  connectTimeoutMs?: number;
}

const TRUST_CA = 'Add the CA certificate that signed it in the TLS settings of this profile.';
const UNSAFE = 'Turning off certificate verification works around it, but then anyone on the path can read and change the traffic.';

const isTls = (ctx: NetworkContext): boolean => ctx.transport === 'mqtts' || ctx.transport === 'wss';

/** A TLS failure by Node's / OpenSSL's code, or undefined when the code is not a TLS one. */
export function describeTlsError(code: string, ctx: NetworkContext): string | undefined {
  const name = ctx.servername || ctx.host;
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `The broker's certificate has expired. Ask the broker's administrator to renew it. ${UNSAFE}`;
    case 'CERT_NOT_YET_VALID':
      return "The broker's certificate is not valid yet. Check the date and time of this computer.";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return (
        `The broker's certificate is not issued for ${name}. Connect with a host name the certificate names, ` +
        'or set the TLS server name (SNI) of this profile to one of them (useful when connecting by IP address).'
      );
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return "The broker uses a self-signed certificate that this profile does not trust. Add that certificate as the CA in this profile's TLS settings.";
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `The broker's certificate chain ends in a CA that this profile does not trust. ${TRUST_CA}`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `The broker's certificate was issued by a CA that this profile does not trust. ${TRUST_CA}`;
    case 'CERT_SIGNATURE_FAILURE':
    case 'CERT_UNTRUSTED':
    case 'CERT_REJECTED':
      return `The broker's certificate could not be verified. ${TRUST_CA}`;
    case 'CERT_REVOKED':
      return "The broker's certificate has been revoked. Ask the broker's administrator for a new one.";
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return `${ctx.host}:${ctx.port} does not speak TLS. Use the broker's TLS port, or a transport without TLS (mqtt:// or ws://).`;
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN':
      return (
        'The broker did not accept the TLS connection: it wants a client certificate it trusts (mutual TLS). ' +
        'Set the client certificate and key (or a PKCS#12 file) in the TLS settings of this profile.'
      );
    case 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL':
      return 'The broker supports none of the ALPN protocols of this profile. Change or remove them in the TLS settings.';
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
      return 'The broker and Topograph share no TLS version. The broker may only support an outdated TLS version.';
    case 'ERR_OSSL_BAD_DECRYPT':
    case 'ERR_OSSL_EVP_BAD_DECRYPT':
    case 'ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE':
      return 'The private key or PKCS#12 file could not be opened: the passphrase is wrong or missing. Enter it in the TLS settings of this profile.';
    case 'ERR_OSSL_X509_KEY_VALUES_MISMATCH':
      return 'The private key does not belong to the client certificate. Choose the matching key in the TLS settings of this profile.';
    case 'ERR_OSSL_PEM_NO_START_LINE':
    case 'ERR_OSSL_PEM_BAD_BASE64_DECODE':
    case 'ERR_OSSL_UNSUPPORTED':
    case 'ERR_OSSL_ASN1_WRONG_TAG':
    case 'ERR_OSSL_ASN1_HEADER_TOO_LONG':
      return 'A certificate or key of this profile is not in PEM form (-----BEGIN ...-----). Check the TLS settings of this profile.';
    default:
      if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_OSSL_')) {
        return `The TLS connection to ${ctx.host}:${ctx.port} failed (${code}). Check the TLS settings of this profile.`;
      }
      return undefined;
  }
}

/** True for TLS codes that mean a setting must change (retrying cannot help). */
export function isTlsConfigurationError(code: string): boolean {
  return describeTlsError(code, { host: '', port: 0, transport: 'mqtts' }) !== undefined;
}

const DEFAULT_PORT_HINT: Record<NetworkContext['transport'], string> = {
  mqtt: '1883 is the usual port for MQTT',
  mqtts: '8883 is the usual port for MQTT over TLS',
  ws: 'WebSocket ports vary: 80, 8080 and 9001 are common',
  wss: 'WebSocket ports vary: 443 and 8081 are common',
};

/** A socket or DNS failure by Node's code, or undefined when the code is not one of those. */
export function describeSocketError(code: string, ctx: NetworkContext): string | undefined {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return `The host name ${ctx.host} could not be found (DNS). Check the host of this profile and this computer's network connection.`;
    case 'EAI_AGAIN':
      return `The host name ${ctx.host} could not be looked up right now (DNS). Check this computer's network connection; Topograph keeps trying.`;
    case 'ECONNREFUSED':
      return `Nothing accepts connections on ${ctx.host}:${ctx.port}. Check that the broker is running and that the port is right (${DEFAULT_PORT_HINT[ctx.transport]}).`;
    case 'ETIMEDOUT':
      return `The connection to ${ctx.host}:${ctx.port} timed out. Check the host and port, and whether a firewall blocks them.`;
    case 'ECONNRESET':
      return isTls(ctx)
        ? `The broker at ${ctx.host}:${ctx.port} closed the connection during the TLS handshake. It may want a client certificate (mutual TLS), or the port may not speak TLS.`
        : `The connection to ${ctx.host}:${ctx.port} was reset. The broker may have closed it, or the network dropped it.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return `The network cannot reach ${ctx.host}. Check this computer's network connection.`;
    case 'EPIPE':
      return `The connection to ${ctx.host}:${ctx.port} closed while Topograph was sending.`;
    case 'EADDRNOTAVAIL':
      return `The address ${ctx.host} is not usable from this computer. Check the host of this profile.`;
    default:
      return undefined;
  }
}

/** The broker did not answer CONNECT with CONNACK in time. */
export function describeConnectTimeout(ctx: NetworkContext): string {
  const seconds = Math.round((ctx.connectTimeoutMs ?? 30_000) / 1000);
  const wsHint = ctx.transport === 'ws' || ctx.transport === 'wss' ? ', the WebSocket path' : '';
  return (
    `The broker at ${ctx.host}:${ctx.port} did not answer within ${seconds} second${seconds === 1 ? '' : 's'}. ` +
    `Check the host, port${wsHint} and transport of this profile, or raise its connect timeout.`
  );
}
