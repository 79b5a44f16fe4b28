/**
 * Decoded values written as JSON text with two-space indentation, for the values JSON itself
 * cannot hold. The output is always valid JSON, so the inspector can colour and fold it:
 * - bigint → its exact digits as a JSON number (never rounded through a double);
 * - bytes → { "$bytes": "<hex>" } (long ones cut, with "$size" saying the real length);
 * - a CBOR tag → { "$tag": n, "$value": … } (epoch-time tag 1 also gets "$iso");
 * - a map with keys that are not all strings → { "$map": [[key, value], …] };
 * - undefined → { "$undefined": true }; NaN and ±Infinity → { "$float": "NaN" };
 * - a MessagePack extension → { "$ext": type, "$bytes": … }; a timestamp → { "$timestamp": iso }.
 */

import { MAX_INDENT_LEVELS } from './json-format';

/** Byte strings longer than this are shown cut; the full payload is always in the hex view. */
export const MAX_BYTES_SHOWN = 64 * 1024;

/** A CBOR tag the decoder has no meaning for, kept so it can be shown. */
export class TaggedValue {
  constructor(
    readonly tag: number | bigint,
    readonly value: unknown,
  ) {}
}

/** A MessagePack extension type the decoder has no meaning for. */
export class ExtensionValue {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

const HEX: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number] as string;
  return out;
}

/** Exact decimal of a non-negative big-endian byte string (CBOR bignum, RFC 8949 §3.4.3). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

type Entries = Array<[unknown, unknown]>;

const UNDEFINED = Object.freeze({ $undefined: true });

/** Replaces a value with the plain JSON shape that stands for it, or returns it unchanged. */
function shape(value: unknown): unknown {
  if (value === undefined) return UNDEFINED;
  if (typeof value === 'number' && !Number.isFinite(value)) return { $float: String(value) };
  if (value instanceof Uint8Array) return bytesFields(value);
  if (value instanceof TaggedValue) {
    const out: Record<string, unknown> = { $tag: value.tag, $value: value.value };
    if (value.tag === 1 && typeof value.value === 'number') out.$iso = isoOrUndefined(value.value * 1000);
    return out;
  }
  if (value instanceof ExtensionValue) return { $ext: value.type, ...bytesFields(value.data) };
  if (value instanceof Date) return { $timestamp: isoOrUndefined(value.getTime()) ?? String(value) };
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>).entries()];
    if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries.map(([k, v]) => [k, v === undefined ? UNDEFINED : v]));
    return { $map: entries.map(([k, v]) => [k, v]) };
  }
  return value;
}

function bytesFields(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length <= MAX_BYTES_SHOWN) return { $bytes: toHex(bytes) };
  return { $bytes: toHex(bytes.subarray(0, MAX_BYTES_SHOWN)), $size: bytes.length, $shown: MAX_BYTES_SHOWN };
}

export function isoOrUndefined(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** As in json-format.ts: deeper levels share the last indentation, which keeps output linear. */
const INDENTS: string[] = Array.from({ length: MAX_INDENT_LEVELS + 1 }, (_, depth) => '  '.repeat(depth));
function indent(depth: number): string {
  return INDENTS[Math.min(depth, MAX_INDENT_LEVELS)] as string;
}

/** Lets a decoder turn its library's own classes into ones known here, during the one walk. */
export type Adapt = (value: unknown) => unknown;

/** `value` as pretty JSON text; see the module comment for the non-JSON values. */
export function toJsonText(value: unknown, adapt?: Adapt): string {
  return write(value, 0, adapt);
}

function write(raw: unknown, depth: number, adapt: Adapt | undefined): string {
  const value = shape(adapt === undefined ? raw : adapt(raw));
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return JSON.stringify(String(value));
  }
  if (value === null) return 'null';
  const inner = indent(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item: unknown) => inner + write(item, depth + 1, adapt));
    return `[\n${items.join(',\n')}\n${indent(depth)}]`;
  }
  // Absent fields of objects built here are undefined and left out, as JSON.stringify does;
  // a decoded undefined arrives as a Map value and was turned into the marker above.
  const entries: Entries = Object.entries(value);
  const present = entries.filter(([, v]) => v !== undefined);
  if (present.length === 0) return '{}';
  const items = present.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, depth + 1, adapt)}`);
  return `{\n${items.join(',\n')}\n${indent(depth)}}`;
}
