/**
 * Builds mqtt.js options from a profile and its secrets: protocol version, transport, CONNECT
 * properties, will, and TLS material read from files or pasted PEM. Every problem is a sentence
 * thrown as an ApiFailure before a socket is opened.
 */
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import type { IClientOptions } from 'mqtt';
import type { PemSource, ProfileView, SecretName } from '../../common/model';
import { describeTlsError, type NetworkContext } from '../../common/network-errors';
import { ApiFailure } from '../../common/result';
import { topicNameProblem } from '../../common/topic';
import { bytesFromInput, toUserPropertyMap } from './properties';

/** mqtt.js passes these through to tls.connect although its types do not list them. */
export type ClientOptions = IClientOptions & Pick<tls.ConnectionOptions, 'pfx' | 'passphrase'>;

export type SecretReader = (name: SecretName) => Promise<string | undefined>;
export type FileReader = (path: string) => Promise<Buffer>;

export interface BuiltOptions {
  options: ClientOptions;
  /** Sentences shown with the status (verification off, user property order, ...). */
  warnings: string[];
  network: NetworkContext;
}

/**
 * A Topic Alias Maximum is always announced: a broker that sends aliases anyway then meets
 * mqtt.js's bounds check instead of an undefined alias map (GHSA-c8jq-r765-cq7g).
 */
export const DEFAULT_TOPIC_ALIAS_MAXIMUM = 64;

export async function buildClientOptions(
  profile: ProfileView,
  clientId: string,
  secret: SecretReader,
  read: FileReader = readFile,
): Promise<BuiltOptions> {
  const v5 = profile.protocolVersion === 5;
  const warnings: string[] = [];
  const options: ClientOptions = {
    protocol: profile.transport,
    host: profile.host,
    hostname: profile.transport.startsWith('ws') && profile.host.includes(':') ? `[${profile.host}]` : profile.host,
    port: profile.port,
    // 3 = MQTT 3.1 ("MQIsdp"); mqtt.js defaults to 4 even for a v5 broker, so always say which.
    protocolId: profile.protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: profile.protocolVersion,
    clientId,
    clean: profile.clean,
    keepalive: profile.keepalive,
    connectTimeout: profile.connectTimeoutMs,
    // Topograph reconnects itself, with backoff and jitter, and resubscribes itself.
    reconnectPeriod: 0,
    resubscribe: false,
    manualConnect: true,
    // A QoS 0 message published while offline is dropped with an error, never sent late.
    queueQoSZero: false,
  };
  if (profile.transport === 'ws' || profile.transport === 'wss') options.path = profile.path || '/';

  if (profile.username !== '') options.username = profile.username;
  const password = await secret('password');
  if (password !== undefined && password !== '') options.password = password;

  if (v5) {
    const cp = profile.connectProperties;
    const userProperties = toUserPropertyMap(cp.userProperties);
    options.properties = {
      topicAliasMaximum: cp.topicAliasMaximum ?? DEFAULT_TOPIC_ALIAS_MAXIMUM,
      ...(profile.sessionExpiryInterval > 0 ? { sessionExpiryInterval: profile.sessionExpiryInterval } : {}),
      ...(cp.receiveMaximum !== undefined ? { receiveMaximum: cp.receiveMaximum } : {}),
      ...(cp.maximumPacketSize !== undefined ? { maximumPacketSize: cp.maximumPacketSize } : {}),
      ...(cp.requestResponseInformation !== undefined ? { requestResponseInformation: cp.requestResponseInformation } : {}),
      ...(cp.requestProblemInformation !== undefined ? { requestProblemInformation: cp.requestProblemInformation } : {}),
      ...(userProperties ? { userProperties } : {}),
    };
  }

  if (profile.will !== null) options.will = buildWill(profile);

  let servername: string | undefined;
  if (profile.transport === 'mqtts' || profile.transport === 'wss') {
    const tlsOptions = await buildTlsOptions(profile, secret, read);
    servername = tlsOptions.servername;
    if (!profile.tls.rejectUnauthorized) {
      warnings.push(
        "Certificate verification is off: Topograph does not check that it talks to the real broker, so anyone on the network path could read and change the traffic.",
      );
    }
    if (profile.transport === 'mqtts') Object.assign(options, tlsOptions);
    // mqtt.js copies only some TLS options into wsOptions; SNI and ALPN must be there for wss.
    else options.wsOptions = tlsOptions;
  }

  const network: NetworkContext = {
    host: profile.host,
    port: profile.port,
    transport: profile.transport,
    connectTimeoutMs: profile.connectTimeoutMs,
    ...(servername ? { servername } : {}),
  };
  return { options, warnings, network };
}

function buildWill(profile: ProfileView): NonNullable<IClientOptions['will']> {
  const will = profile.will;
  if (will === null) throw new Error('unreachable: no will');
  const problem = topicNameProblem(will.topic);
  if (problem) throw new ApiFailure('invalid-argument', `The will topic of this profile is not valid. ${problem}`);
  const result: NonNullable<IClientOptions['will']> = {
    topic: will.topic,
    payload: bytesFromInput(will.payload, 'will payload'),
    qos: will.qos,
    retain: will.retain,
  };
  if (profile.protocolVersion === 5) {
    const p = will.properties;
    const userProperties = toUserPropertyMap(p.userProperties);
    result.properties = {
      ...(p.willDelayInterval !== undefined ? { willDelayInterval: p.willDelayInterval } : {}),
      ...(p.payloadFormatIndicator !== undefined ? { payloadFormatIndicator: p.payloadFormatIndicator } : {}),
      ...(p.messageExpiryInterval !== undefined ? { messageExpiryInterval: p.messageExpiryInterval } : {}),
      ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
      ...(p.responseTopic !== undefined ? { responseTopic: p.responseTopic } : {}),
      ...(p.correlationData !== undefined ? { correlationData: bytesFromInput(p.correlationData, 'will correlation data') } : {}),
      ...(userProperties ? { userProperties } : {}),
    };
    if (p.responseTopic !== undefined) {
      const responseProblem = topicNameProblem(p.responseTopic);
      if (responseProblem) throw new ApiFailure('invalid-argument', `The will's response topic is not valid. ${responseProblem}`);
    }
  }
  return result;
}

type TlsOptions = Pick<
  tls.ConnectionOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername' | 'ALPNProtocols'
>;

async function buildTlsOptions(profile: ProfileView, secret: SecretReader, read: FileReader): Promise<TlsOptions> {
  const settings = profile.tls;
  const out: TlsOptions = { rejectUnauthorized: settings.rejectUnauthorized };
  const ca = await pemMaterial(settings.ca, 'CA certificate', read, async () => settings.ca.value);
  const cert = await pemMaterial(settings.cert, 'client certificate', read, async () => settings.cert.value);
  // A pasted key is a secret: the profile holds only its kind, the SecretBox holds the PEM.
  const key = await pemMaterial(settings.key, 'private key', read, async () => (await secret('keyPem')) ?? '');
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) {
    const passphrase = await secret('keyPassphrase');
    out.key = passphrase ? [{ pem: key, passphrase }] : key;
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new ApiFailure(
      'invalid-argument',
      'The TLS settings of this profile have a client certificate without a private key, or a key without a certificate. Set both, or neither.',
    );
  }
  if (settings.pfxPath !== '') {
    const pfx = await readMaterial(settings.pfxPath, 'PKCS#12 file', read);
    const passphrase = await secret('pfxPassphrase');
    out.pfx = passphrase ? [{ buf: pfx, passphrase }] : pfx;
  }
  if (settings.servername !== '') out.servername = settings.servername;
  if (settings.alpn.length > 0) out.ALPNProtocols = settings.alpn;

  // Building the context now turns a wrong passphrase or a broken PEM into a sentence before
  // connecting; tls.connect would throw it from inside mqtt.js instead.
  try {
    tls.createSecureContext({ ca: out.ca, cert: out.cert, key: out.key, pfx: out.pfx });
  } catch (error) {
    // Node gives a wrong PKCS#12 passphrase no code, only OpenSSL's message.
    const code = (error as NodeJS.ErrnoException).code ?? (/mac verify failure/i.test(String(error)) ? 'ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE' : '');
    const text = describeTlsError(code, { host: profile.host, port: profile.port, transport: profile.transport });
    throw new ApiFailure(
      'invalid-argument',
      text ?? `The TLS certificates or keys of this profile cannot be used: ${(error as Error).message}. Check the TLS settings.`,
    );
  }
  return out;
}

async function pemMaterial(
  source: PemSource,
  what: string,
  read: FileReader,
  pasted: () => Promise<string>,
): Promise<Buffer | undefined> {
  if (source.kind === 'none') return undefined;
  if (source.kind === 'file') {
    if (source.value === '') throw new ApiFailure('invalid-argument', `No ${what} file is chosen. Choose one in the TLS settings of this profile.`);
    return readMaterial(source.value, `${what} file`, read);
  }
  const text = await pasted();
  if (text.trim() === '') {
    throw new ApiFailure('invalid-argument', `The ${what} of this profile is set to pasted text, but none is saved. Paste it again in the TLS settings.`);
  }
  return Buffer.from(text, 'utf8');
}

async function readMaterial(path: string, what: string, read: FileReader): Promise<Buffer> {
  try {
    return await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (no permission)'
          : code === 'EISDIR'
            ? 'is a folder, not a file'
            : `cannot be read (${(error as Error).message})`;
    throw new ApiFailure('io', `The ${what} ${path} ${cause}. Choose the file again in the TLS settings of this profile.`);
  }
}
