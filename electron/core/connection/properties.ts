/**
 * Conversions between Topograph's model and mqtt.js's shapes of MQTT 5 properties.
 */
import type { IPublishPacket } from 'mqtt';
import type { BytesInput, PublishProperties, ReceivedProperties, UserProperty } from '../../common/model';
import { ApiFailure } from '../../common/result';

/** mqtt.js's user properties: repeated names become arrays. */
export type UserPropertyMap = Record<string, string | string[]>;

/**
 * mqtt.js's type is `{ name: value | value[] }`, which groups repeated names: (a, b, a) would go out
 * as (a, a, b). mqtt-packet also writes an array of one-pair objects one by one, in order, so an
 * interleaved list is sent in that shape and arrives exactly as the person set it.
 */
export function toUserPropertyMap(list: readonly UserProperty[] | undefined): UserPropertyMap | undefined {
  if (list === undefined || list.length === 0) return undefined;
  if (userPropertyOrderLost(list)) {
    const pairs = list.map(({ name, value }) => {
      const pair = Object.create(null) as Record<string, string>;
      pair[name] = value;
      return pair;
    });
    return pairs as unknown as UserPropertyMap;
  }
  // No prototype: a property named "__proto__" or "constructor" must stay an ordinary entry.
  const map = Object.create(null) as UserPropertyMap;
  for (const { name, value } of list) {
    const existing = map[name];
    if (existing === undefined) map[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else map[name] = [existing, value];
  }
  return map;
}

/** True when a name reappears after another one: mqtt.js's map shape would change the order. */
export function userPropertyOrderLost(list: readonly UserProperty[]): boolean {
  const seen = new Set<string>();
  let previous: string | undefined;
  for (const { name } of list) {
    if (name !== previous && seen.has(name)) return true;
    seen.add(name);
    previous = name;
  }
  return false;
}

/** Received user properties as an ordered list; mqtt.js has already grouped repeated names. */
export function fromUserPropertyMap(map: UserPropertyMap | undefined): UserProperty[] {
  const list: UserProperty[] = [];
  if (map === undefined) return list;
  for (const name of Object.keys(map)) {
    const value = map[name];
    if (Array.isArray(value)) for (const item of value) list.push({ name, value: item });
    else if (value !== undefined) list.push({ name, value });
  }
  return list;
}

/** Bytes a person typed as text, hex (spaces allowed) or base64. */
export function bytesFromInput(input: BytesInput, what: string): Buffer {
  switch (input.format) {
    case 'text':
      return Buffer.from(input.value, 'utf8');
    case 'hex': {
      const digits = input.value.replace(/\s+/g, '').replace(/^0x/i, '');
      if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) {
        throw new ApiFailure('invalid-argument', `The ${what} is not valid hex: use pairs of the digits 0-9 and a-f, e.g. "01 ff".`);
      }
      return Buffer.from(digits, 'hex');
    }
    case 'base64': {
      const text = input.value.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
        throw new ApiFailure('invalid-argument', `The ${what} is not valid base64.`);
      }
      return Buffer.from(text, 'base64');
    }
  }
}

/** Publish properties in mqtt.js's shape (byte-type properties must be booleans, binaries Buffers). */
export function toPacketPublishProperties(properties: PublishProperties): NonNullable<IPublishPacket['properties']> {
  const out: NonNullable<IPublishPacket['properties']> = {};
  if (properties.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = properties.payloadFormatIndicator;
  if (properties.messageExpiryInterval !== undefined) out.messageExpiryInterval = properties.messageExpiryInterval;
  if (properties.contentType !== undefined) out.contentType = properties.contentType;
  if (properties.responseTopic !== undefined) out.responseTopic = properties.responseTopic;
  if (properties.correlationData !== undefined) out.correlationData = asBuffer(properties.correlationData);
  const userProperties = toUserPropertyMap(properties.userProperties);
  if (userProperties !== undefined) out.userProperties = userProperties;
  if (properties.topicAlias !== undefined) out.topicAlias = properties.topicAlias;
  return out;
}

/** A received PUBLISH's properties in Topograph's shape. O(number of properties). */
export function fromPacketPublishProperties(properties: IPublishPacket['properties']): ReceivedProperties {
  const out: ReceivedProperties = {};
  if (properties === undefined) return out;
  if (properties.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = properties.payloadFormatIndicator;
  if (properties.messageExpiryInterval !== undefined) out.messageExpiryInterval = properties.messageExpiryInterval;
  if (properties.contentType !== undefined) out.contentType = properties.contentType;
  if (properties.responseTopic !== undefined) out.responseTopic = properties.responseTopic;
  // Parsed from a socket chunk: an ordinary ArrayBuffer, never a shared one.
  if (properties.correlationData !== undefined) out.correlationData = properties.correlationData as Uint8Array<ArrayBuffer>;
  if (properties.userProperties !== undefined) out.userProperties = fromUserPropertyMap(properties.userProperties);
  if (properties.topicAlias !== undefined) out.topicAlias = properties.topicAlias;
  const ids = properties.subscriptionIdentifier;
  // [MQTT-3.3.4-3] one PUBLISH may carry several identifiers when several subscriptions matched.
  if (ids !== undefined) out.subscriptionIdentifiers = Array.isArray(ids) ? ids : [ids];
  return out;
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
