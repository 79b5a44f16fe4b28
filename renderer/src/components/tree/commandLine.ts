/**
 * mosquitto_sub / mosquitto_pub command lines for a topic or a message, quoted for a POSIX shell,
 * so a person can reproduce what they see with the standard Mosquitto clients.
 */
import type { QoS, ReceivedProperties, Transport } from '@common/model';

/** Where the command should connect: the profile's broker, as far as the clients can express it. */
export interface BrokerTarget {
  host: string;
  port: number;
  protocolVersion: 3 | 4 | 5;
  transport?: Transport;
  username?: string;
  /** File paths only; PEM text pasted into a profile has no file to point at. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** The part of a message the pub command reproduces. */
export interface CommandMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties: ReceivedProperties;
}

const SAFE_WORD = /^[A-Za-z0-9_./:=@,+-]+$/;

/** Quotes one argument for a POSIX shell: single quotes keep everything literal, `'` becomes `'\''`. */
export function shellQuote(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as text when a shell argument can carry it (valid UTF-8, no NUL byte). */
function asArgumentText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A printf format that writes exactly `bytes`: printable ASCII stays, everything else becomes a
 * three-digit octal escape, which every POSIX printf understands.
 */
export function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const [index, byte] of bytes.entries()) {
    // A leading '-' would be read as an option of printf.
    if (index === 0 && byte === 0x2d) out += '\\055';
    else if (byte === 0x25) out += '%%';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f && byte !== 0x27) out += String.fromCharCode(byte);
    else out += '\\' + byte.toString(8).padStart(3, '0');
  }
  return out;
}

function connectionArgs(target: BrokerTarget | undefined, v5: boolean): string[] {
  const args: string[] = [];
  if (target) {
    args.push('-h', shellQuote(target.host), '-p', String(target.port));
    if (target.username) args.push('-u', shellQuote(target.username));
    if (target.transport === 'mqtts' || target.transport === 'wss') {
      if (target.caFile) args.push('--cafile', shellQuote(target.caFile));
      else args.push('--tls-use-os-certs');
      if (target.certFile) args.push('--cert', shellQuote(target.certFile));
      if (target.keyFile) args.push('--key', shellQuote(target.keyFile));
    }
  }
  if (v5) args.push('-V', '5');
  else if (target?.protocolVersion === 3) args.push('-V', '31');
  return args;
}

/** True when the message carried a property mosquitto_pub can send (v5 only). */
export function hasPublishProperties(properties: ReceivedProperties): boolean {
  return (
    properties.payloadFormatIndicator !== undefined ||
    properties.messageExpiryInterval !== undefined ||
    properties.contentType !== undefined ||
    properties.responseTopic !== undefined ||
    properties.correlationData !== undefined ||
    (properties.userProperties?.length ?? 0) > 0
  );
}

export function mosquittoSubCommand(options: { topic: string; qos?: QoS; target?: BrokerTarget; v5?: boolean }): string {
  const v5 = options.v5 ?? options.target?.protocolVersion === 5;
  const args = ['mosquitto_sub', ...connectionArgs(options.target, v5), '-t', shellQuote(options.topic)];
  if (options.qos) args.push('-q', String(options.qos));
  args.push('-v');
  return args.join(' ');
}

export function mosquittoPubCommand(message: CommandMessage, target?: BrokerTarget): string {
  const props = message.properties;
  const withProps = hasPublishProperties(props);
  const v5 = withProps || target?.protocolVersion === 5;
  const args = ['mosquitto_pub', ...connectionArgs(target, v5), '-t', shellQuote(message.topic)];
  if (message.qos) args.push('-q', String(message.qos));
  if (message.retain) args.push('-r');
  const notes: string[] = [];
  if (withProps) {
    const define = (name: string, ...values: string[]): void => {
      args.push('-D', 'publish', name, ...values.map(shellQuote));
    };
    if (props.payloadFormatIndicator !== undefined) define('payload-format-indicator', props.payloadFormatIndicator ? '1' : '0');
    if (props.messageExpiryInterval !== undefined) define('message-expiry-interval', String(props.messageExpiryInterval));
    if (props.contentType !== undefined) define('content-type', props.contentType);
    if (props.responseTopic !== undefined) define('response-topic', props.responseTopic);
    if (props.correlationData !== undefined) {
      const text = asArgumentText(props.correlationData);
      if (text !== undefined) define('correlation-data', text);
      else notes.push('binary correlation data cannot be passed as an argument and was left out');
    }
    // mqtt.js groups repeated names into an array; each value becomes its own property again.
    for (const { name, value } of props.userProperties ?? []) define('user-property', name, value);
  }
  let command: string;
  const text = asArgumentText(message.payload);
  if (message.payload.length === 0) {
    args.push('-n');
    command = args.join(' ');
  } else if (text !== undefined) {
    args.push('-m', shellQuote(text));
    command = args.join(' ');
  } else {
    // Arguments cannot carry NUL bytes or invalid UTF-8: feed the exact bytes through stdin.
    args.push('-s');
    command = `printf ${shellQuote(printfFormat(message.payload))} | ${args.join(' ')}`;
  }
  return notes.length > 0 ? `${command}  # ${notes.join('; ')}` : command;
}
