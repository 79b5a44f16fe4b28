/**
 * MQTT 5 properties of a received PUBLISH, stored as MessagePack: compact, keeps binary
 * correlation data as bytes, and keeps user properties as the ordered list they arrived in.
 */
import { decode, encode } from '@msgpack/msgpack';
import type { ReceivedProperties } from '../../common/model';

/** Null when there is nothing worth storing (most messages: no properties at all). */
export function encodeProperties(properties: ReceivedProperties | undefined): Uint8Array | null {
  if (properties === undefined) return null;
  let present = false;
  for (const key in properties) {
    const value = properties[key as keyof ReceivedProperties];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    present = true;
    break;
  }
  return present ? encode(properties, { ignoreUndefined: true }) : null;
}

export function decodeProperties(stored: Uint8Array | null): ReceivedProperties {
  if (stored === null || stored.length === 0) return {};
  const value = decode(stored);
  if (value === null || typeof value !== 'object') return {};
  const properties = value as ReceivedProperties;
  // The decoder returns a view into `stored`; give correlation data a buffer of its own.
  if (properties.correlationData !== undefined) properties.correlationData = new Uint8Array(properties.correlationData);
  return properties;
}
