/**
 * Why a connection attempt failed or a connection ended, as a sentence, and whether trying again
 * by itself can help (a wrong password or an untrusted certificate will not fix itself).
 */
import type { IConnackPacket, IDisconnectPacket } from 'mqtt';
import {
  describeConnectTimeout,
  describeSocketError,
  describeTlsError,
  type NetworkContext,
} from '../../common/network-errors';
import {
  describeConnackRefusal,
  describeServerDisconnect,
  hexCode,
  isFinalServerDisconnect,
  isTransientRefusal,
} from '../../common/reason-codes';

export interface Failure {
  text: string;
  /** True when retrying cannot help: the person must change something first. */
  final: boolean;
  /** The protocol code behind it, for the UI's details. */
  code?: string | number;
}

export function connackFailure(packet: IConnackPacket, protocolVersion: 3 | 4 | 5): Failure | undefined {
  const code = (protocolVersion === 5 ? packet.reasonCode : packet.returnCode) ?? 0;
  if (code === 0) return undefined;
  const properties = packet.properties;
  return {
    text: describeConnackRefusal({
      protocolVersion,
      code,
      ...(properties?.reasonString ? { reasonString: properties.reasonString } : {}),
      ...(properties?.serverReference ? { serverReference: properties.serverReference } : {}),
    }),
    final: !isTransientRefusal(protocolVersion, code),
    code,
  };
}

export function serverDisconnectFailure(packet: IDisconnectPacket): Failure {
  const code = packet.reasonCode ?? 0;
  const properties = packet.properties;
  return {
    text: describeServerDisconnect({
      code,
      ...(properties?.reasonString ? { reasonString: properties.reasonString } : {}),
      ...(properties?.serverReference ? { serverReference: properties.serverReference } : {}),
    }),
    final: isFinalServerDisconnect(code),
    code,
  };
}

/** An `error` event of mqtt.js (socket, TLS, timeouts, protocol checks). */
export function errorFailure(error: Error, network: NetworkContext): Failure {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const tlsText = describeTlsError(code, network);
    // Certificates and keys do not change by waiting: stop and let the person fix the profile.
    if (tlsText !== undefined) return { text: tlsText, final: true, code };
    const socketText = describeSocketError(code, network);
    if (socketText !== undefined) return { text: socketText, final: false, code };
    return { text: `The connection to ${network.host}:${network.port} failed: ${error.message} (${code}).`, final: false, code };
  }
  if (error.message === 'connack timeout') return { text: describeConnectTimeout(network), final: false };
  if (error.message === 'Keepalive timeout') {
    return {
      text: `The broker at ${network.host}:${network.port} stopped answering (no reply within the keep alive interval).`,
      final: false,
    };
  }
  if (error.message === 'TLS not authorized') {
    return { text: "The broker's certificate could not be verified. Add the CA that signed it in the TLS settings of this profile.", final: true };
  }
  if (typeof code === 'number') {
    // mqtt.js's own protocol checks (topic alias out of range, packet too large, ...).
    return {
      text: `Topograph closed the connection because the broker broke an MQTT rule: ${error.message} (${hexCode(code)}).`,
      final: false,
      code,
    };
  }
  return { text: `The connection to ${network.host}:${network.port} failed: ${error.message}.`, final: false };
}

/** The socket closed without any error or DISCONNECT that says why. */
export function silentCloseFailure(wasConnected: boolean, network: NetworkContext): Failure {
  const where = `${network.host}:${network.port}`;
  if (wasConnected) return { text: `The connection to ${where} was lost.`, final: false };
  const ws = network.transport === 'ws' || network.transport === 'wss';
  return {
    text: ws
      ? `The broker at ${where} closed the connection before answering. Check the WebSocket path and the transport of this profile.`
      : `The broker at ${where} closed the connection before answering. Check the port and the transport (with or without TLS) of this profile.`,
    final: false,
  };
}
