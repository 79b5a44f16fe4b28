/**
 * MQTT 5 reason codes (§2.4) and MQTT 3.1.1 CONNACK return codes, with their names and the
 * sentences a person reads: the cause and the way out.
 */
import type { QoS } from './model';

export type AckPacketType = 'connack' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'suback' | 'unsuback' | 'disconnect' | 'auth';

/** Codes >= 0x80 mean the same in every packet that may carry them. */
const FAILURE_NAMES: Readonly<Record<number, string>> = {
  0x80: 'Unspecified error',
  0x81: 'Malformed packet',
  0x82: 'Protocol error',
  0x83: 'Implementation specific error',
  0x84: 'Unsupported protocol version',
  0x85: 'Client identifier not valid',
  0x86: 'Bad user name or password',
  0x87: 'Not authorized',
  0x88: 'Server unavailable',
  0x89: 'Server busy',
  0x8a: 'Banned',
  0x8b: 'Server shutting down',
  0x8c: 'Bad authentication method',
  0x8d: 'Keep alive timeout',
  0x8e: 'Session taken over',
  0x8f: 'Topic filter invalid',
  0x90: 'Topic name invalid',
  0x91: 'Packet identifier in use',
  0x92: 'Packet identifier not found',
  0x93: 'Receive maximum exceeded',
  0x94: 'Topic alias invalid',
  0x95: 'Packet too large',
  0x96: 'Message rate too high',
  0x97: 'Quota exceeded',
  0x98: 'Administrative action',
  0x99: 'Payload format invalid',
  0x9a: 'Retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'Use another server',
  0x9d: 'Server moved',
  0x9e: 'Shared subscriptions not supported',
  0x9f: 'Connection rate exceeded',
  0xa0: 'Maximum connect time',
  0xa1: 'Subscription identifiers not supported',
  0xa2: 'Wildcard subscriptions not supported',
};

/** Codes below 0x80 depend on the packet: 0x00 is "Success", "Granted QoS 0" or "Normal disconnection". */
const SUCCESS_NAMES: Readonly<Record<AckPacketType, Readonly<Record<number, string>>>> = {
  connack: { 0x00: 'Success' },
  puback: { 0x00: 'Success', 0x10: 'No matching subscribers' },
  pubrec: { 0x00: 'Success', 0x10: 'No matching subscribers' },
  pubrel: { 0x00: 'Success' },
  pubcomp: { 0x00: 'Success' },
  suback: { 0x00: 'Granted QoS 0', 0x01: 'Granted QoS 1', 0x02: 'Granted QoS 2' },
  unsuback: { 0x00: 'Success', 0x11: 'No subscription existed' },
  disconnect: { 0x00: 'Normal disconnection', 0x04: 'Disconnect with will message' },
  auth: { 0x00: 'Success', 0x18: 'Continue authentication', 0x19: 'Re-authenticate' },
};

/** MQTT 3.1.1 §3.2.2.3: CONNACK return codes 0–5 (MQTT 3.1 uses the same). */
const V3_RETURN_CODES: readonly string[] = [
  'Connection accepted',
  'Unacceptable protocol version',
  'Identifier rejected',
  'Server unavailable',
  'Bad user name or password',
  'Not authorized',
];

export const hexCode = (code: number): string => `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;

export const isFailureCode = (code: number): boolean => code >= 0x80;

/** The standard's name of a reason code in a packet, e.g. reasonCodeName('puback', 0x10) = "No matching subscribers". */
export function reasonCodeName(packet: AckPacketType, code: number): string {
  return SUCCESS_NAMES[packet][code] ?? FAILURE_NAMES[code] ?? `Unknown reason code ${hexCode(code)}`;
}

/** The name of a 3.1.1 / 3.1 CONNACK return code. */
export function returnCodeName(code: number): string {
  return V3_RETURN_CODES[code] ?? `Unknown return code ${code}`;
}

const lower = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const brokerSaid = (reasonString: string | undefined): string => (reasonString ? ` The broker said: "${reasonString}".` : '');
const CHECK_CREDENTIALS = 'Check the user name and password in this profile.';
const TRY_LATER = 'The broker cannot take this connection right now; Topograph tries again shortly.';

/** The way out for a refused CONNECT, by v5 reason code. */
const CONNACK_ADVICE: Readonly<Record<number, string>> = {
  0x80: "Look in the broker's log for the reason.",
  0x81: 'The broker could not read the CONNECT packet. Check the MQTT version of this profile.',
  0x82: 'The broker found a protocol error in the CONNECT packet. Check the MQTT version and the MQTT 5 settings of this profile.',
  0x83: "Look in the broker's log or documentation for the reason.",
  0x84: 'Choose another MQTT version (3.1.1 or 3.1) in this profile.',
  0x85: 'Change the client id in this profile: brokers may limit its length and characters, or refuse an empty one.',
  0x86: CHECK_CREDENTIALS,
  0x87: CHECK_CREDENTIALS,
  0x88: TRY_LATER,
  0x89: TRY_LATER,
  0x8a: "This client is banned by the broker; ask the broker's administrator.",
  0x8c: 'The broker does not support the authentication method Topograph sent.',
  0x90: 'Check the will topic of this profile.',
  0x95: 'The CONNECT packet is larger than the broker allows; shorten the will message or the user properties.',
  0x97: TRY_LATER,
  0x99: 'The will payload is not valid UTF-8 although its payload format indicator says so; fix the will of this profile.',
  0x9a: 'The broker does not keep retained messages; turn off retain on the will of this profile.',
  0x9b: 'The broker does not support the QoS of the will; lower it in this profile.',
  0x9f: 'The broker limits how often a client may connect; Topograph tries again shortly.',
};

const V3_ADVICE: readonly string[] = [
  '',
  'Choose another MQTT version (3.1.1 or 3.1) in this profile.',
  'Change the client id in this profile: MQTT 3.1 brokers allow at most 23 characters, and an empty id only with a clean session.',
  TRY_LATER,
  CHECK_CREDENTIALS,
  CHECK_CREDENTIALS,
];

const serverReferenceAdvice = (serverReference: string | undefined): string =>
  serverReference
    ? `Connect to ${serverReference} instead: change the host of this profile.`
    : 'The broker did not say which server to use; ask its administrator.';

export interface ConnackRefusal {
  protocolVersion: 3 | 4 | 5;
  /** The v5 reason code, or the 3.x return code. */
  code: number;
  reasonString?: string;
  serverReference?: string;
}

/** "Broker refused the connection: not authorized (0x87). Check the user name and password in this profile." */
export function describeConnackRefusal(refusal: ConnackRefusal): string {
  if (refusal.protocolVersion !== 5) {
    const advice = V3_ADVICE[refusal.code] ?? "Look in the broker's log for the reason.";
    return `Broker refused the connection: ${lower(returnCodeName(refusal.code))} (return code ${refusal.code}). ${advice}`;
  }
  const { code } = refusal;
  // [MQTT-3.2.2.2] v5 CONNACK codes are 0x00 or >= 0x80: 1..5 is a 3.1.1 broker's return code.
  if (code >= 1 && code <= 5) {
    const detail = code === 1 ? 'it does not speak MQTT 5' : lower(returnCodeName(code));
    return `Broker refused the connection with an MQTT 3.1.1 return code (${code}): ${detail}. Set the MQTT version of this profile to 3.1.1.`;
  }
  const advice =
    code === 0x9c || code === 0x9d
      ? serverReferenceAdvice(refusal.serverReference)
      : (CONNACK_ADVICE[code] ?? "Look in the broker's log for the reason.");
  return `Broker refused the connection: ${lower(reasonCodeName('connack', code))} (${hexCode(code)}).${brokerSaid(refusal.reasonString)} ${advice}`;
}

/** Refusals that may pass by themselves; the others wait for the person to change the profile. */
export function isTransientRefusal(protocolVersion: 3 | 4 | 5, code: number): boolean {
  if (protocolVersion !== 5) return code === 3;
  return code === 0x88 || code === 0x89 || code === 0x97 || code === 0x9f;
}

const DISCONNECT_ADVICE: Readonly<Record<number, string>> = {
  0x81: 'The broker could not read a packet Topograph sent.',
  0x82: 'The broker found a protocol error in a packet Topograph sent.',
  0x87: 'The broker withdrew this client\'s authorization; check its access rules for this user.',
  0x89: TRY_LATER,
  0x8b: 'The broker is shutting down; Topograph reconnects when it is back.',
  0x8d: 'The broker heard nothing from Topograph within the keep alive interval; check the network, or raise the keep alive of this profile.',
  0x8e: 'Another client connected with the same client id. Turn on the random client id suffix in this profile, or give each copy its own client id.',
  0x93: 'Topograph had more unacknowledged QoS 1 and 2 messages in flight than the broker allows (its Receive Maximum).',
  0x94: "A topic alias was used that the broker does not know or allow; keep aliases within the broker's Topic Alias Maximum.",
  0x95: "A packet was larger than the broker's maximum packet size; send a smaller payload.",
  0x96: 'Topograph published faster than the broker allows; lower the rate.',
  0x97: 'A quota of the broker was exceeded.',
  0x98: 'An administrator of the broker disconnected this client.',
  0x99: 'A payload was not valid UTF-8 although its payload format indicator said so.',
  0x9a: 'The broker does not keep retained messages; publish without retain.',
  0x9b: "A message used a QoS above the broker's maximum.",
  0xa0: 'The broker limits how long a client may stay connected; Topograph reconnects.',
};

export interface ServerDisconnect {
  code: number;
  reasonString?: string;
  serverReference?: string;
}

/** A DISCONNECT sent by the broker (MQTT 5 only), as a sentence. */
export function describeServerDisconnect(disconnect: ServerDisconnect): string {
  const { code } = disconnect;
  const advice =
    code === 0x9c || code === 0x9d
      ? serverReferenceAdvice(disconnect.serverReference)
      : (DISCONNECT_ADVICE[code] ?? "Look in the broker's log for the reason.");
  return `The broker closed the connection: ${lower(reasonCodeName('disconnect', code))} (${hexCode(code)}).${brokerSaid(disconnect.reasonString)} ${advice}`;
}

/** Server disconnects after which reconnecting at once would only repeat the same fight. */
export function isFinalServerDisconnect(code: number): boolean {
  // Two clients with one id take the session from each other in a loop when both reconnect.
  return code === 0x8e || code === 0x9c || code === 0x9d || code === 0x8a;
}

export interface PublishAckText {
  name: string;
  success: boolean;
  /** For the person: what a success with a non-zero code means, or why it failed and what to do. */
  note?: string;
}

const PUBLISH_FAILURE_ADVICE: Readonly<Record<number, string>> = {
  0x80: "The broker did not accept the message; look in the broker's log for the reason.",
  0x83: 'The broker did not accept the message for a reason of its own.',
  0x87: "The broker does not allow this client to publish to this topic; check its access rules for this user.",
  0x90: 'The broker does not accept this topic name.',
  0x91: 'The packet identifier was already in use; publish again.',
  0x97: 'A quota of the broker was exceeded; try again later.',
  0x99: 'The payload is not valid UTF-8 although the payload format indicator says so.',
};

/** PUBACK / PUBREC / PUBCOMP reason code for a publish, with a note. */
export function describePublishAck(packet: 'puback' | 'pubrec' | 'pubcomp', code: number): PublishAckText {
  const name = reasonCodeName(packet, code);
  if (code === 0x10) {
    return { name, success: true, note: 'No subscriber matched the topic; the broker still accepted the message (0x10 is a success code).' };
  }
  if (code === 0x92) {
    return { name, success: false, note: 'The broker no longer knew this QoS 2 exchange; the message may not have been delivered.' };
  }
  if (!isFailureCode(code)) return { name, success: true };
  return { name, success: false, note: PUBLISH_FAILURE_ADVICE[code] ?? `The broker did not accept the message: ${lower(name)} (${hexCode(code)}).` };
}

export interface SubackText {
  /** Set when the subscription was granted. */
  granted?: QoS;
  name: string;
  /** A sentence when it was refused. */
  text?: string;
}

const SUBACK_ADVICE: Readonly<Record<number, string>> = {
  0x80: "Look in the broker's log for the reason.",
  0x83: 'The broker refused it for a reason of its own.',
  0x87: "This user may not subscribe to this filter; check the broker's access rules.",
  0x8f: 'The broker does not accept this filter.',
  0x91: 'The packet identifier was in use; subscribe again.',
  0x97: 'A quota of the broker was exceeded; try again later.',
  0x9e: 'The broker does not support shared subscriptions ($share/...).',
  0xa1: 'The broker does not support subscription identifiers; remove the identifier from this subscription.',
  0xa2: 'The broker does not allow + or # in filters; subscribe to exact topics.',
};

/** One SUBACK code (v5 reason code; 3.1.1 uses 0–2 and 0x80 the same way). */
export function describeSubackCode(filter: string, code: number): SubackText {
  const name = reasonCodeName('suback', code);
  if (code === 0 || code === 1 || code === 2) return { granted: code, name };
  const advice = SUBACK_ADVICE[code] ?? "Look in the broker's log for the reason.";
  return { name, text: `The broker refused the subscription to ${filter}: ${lower(name)} (${hexCode(code)}). ${advice}` };
}

/** One UNSUBACK code (v5); 0x11 is not an error: the broker simply had no such subscription. */
export function describeUnsubackCode(filter: string, code: number): { success: boolean; name: string; text?: string } {
  const name = reasonCodeName('unsuback', code);
  if (!isFailureCode(code)) return { success: true, name };
  return { success: false, name, text: `The broker refused to remove the subscription to ${filter}: ${lower(name)} (${hexCode(code)}).` };
}
