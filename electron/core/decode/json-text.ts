/**
 * Decoded values written as JSON text with two-space indentation, for the values JSON itself
 * cannot hold. The output is always valid JSON, so the inspector can colour and fold it:
 * - bigint → its exact digits as a JSON number (never rounded through a double);
 * - bytes → { "$hex": "<hex>" }, long ones cut with "$size" saying the real length (named
 *   apart from the web API's base64 "$bytes", since this is display text, not wire data);
 * - a CBOR tag → { "$tag": n, "$value": … } (epoch-time tag 1 also gets "$iso");
 * - a map with keys that are not all strings → { "$map": [[key, value], …] };
 * - undefined → { "$undefined": true }; NaN and ±Infinity → { "$float": "NaN" };
 * - a MessagePack extension → { "$ext": type, "$hex": … }; a timestamp → { "$timestamp": iso }.
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

const UNDEFINED = Object.freeze({ $undefined: true });

/** The plain JSON shape that stands for a value JSON cannot hold, or undefined for plain values. */
function special(value: object): unknown {
  if (value instanceof Uint8Array) return bytesFields(value);
  if (value instanceof TaggedValue) {
    const out: Record<string, unknown> = { $tag: value.tag, $value: value.value };
    if (value.tag === 1 && typeof value.value === 'number') out.$iso = isoOrUndefined(value.value * 1000);
    return out;
  }
  if (value instanceof ExtensionValue) return { $ext: value.type, ...bytesFields(value.data) };
  if (value instanceof Date) return { $timestamp: isoOrUndefined(value.getTime()) ?? String(value) };
  return undefined;
}

function bytesFields(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length <= MAX_BYTES_SHOWN) return { $hex: toHex(bytes) };
  return { $hex: toHex(bytes.subarray(0, MAX_BYTES_SHOWN)), $size: bytes.length, $shown: MAX_BYTES_SHOWN };
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
  const writer = new Writer(adapt);
  writer.write(value, 0);
  return writer.out;
}

/** Appends to one string (a V8 rope) rather than joining arrays per level: much faster. */
class Writer {
  out = '';
  constructor(private readonly adapt: Adapt | undefined) {}

  write(raw: unknown, depth: number): void {
    const value = this.adapt === undefined ? raw : this.adapt(raw);
    switch (typeof value) {
      case 'string':
        this.out += JSON.stringify(value);
        return;
      case 'number':
        if (Number.isFinite(value)) this.out += String(value);
        else this.write({ $float: String(value) }, depth);
        return;
      case 'boolean':
        this.out += value ? 'true' : 'false';
        return;
      case 'bigint':
        this.out += value.toString();
        return;
      case 'undefined':
        this.write(UNDEFINED, depth);
        return;
      case 'object':
        break;
      default:
        this.out += JSON.stringify(String(value));
        return;
    }
    if (value === null) {
      this.out += 'null';
    } else if (Array.isArray(value)) {
      this.array(value, depth);
    } else if (value instanceof Map) {
      this.map(value as Map<unknown, unknown>, depth);
    } else {
      const shaped = special(value);
      if (shaped !== undefined) this.write(shaped, depth);
      else this.object(value as Record<string, unknown>, depth);
    }
  }

  private array(items: readonly unknown[], depth: number): void {
    if (items.length === 0) {
      this.out += '[]';
      return;
    }
    const line = `\n${indent(depth + 1)}`;
    for (let i = 0; i < items.length; i++) {
      this.out += i === 0 ? `[${line}` : `,${line}`;
      this.write(items[i], depth + 1);
    }
    this.out += `\n${indent(depth)}]`;
  }

  /** A decoded map: an object when every key is a string, else { "$map": [[key, value], …] }. */
  private map(map: Map<unknown, unknown>, depth: number): void {
    for (const key of map.keys()) {
      if (typeof key !== 'string') {
        this.write({ $map: [...map.entries()] }, depth);
        return;
      }
    }
    const line = `\n${indent(depth + 1)}`;
    let first = true;
    for (const [key, item] of map) {
      this.field(key as string, item === undefined ? UNDEFINED : item, first, line, depth);
      first = false;
    }
    this.out += first ? '{}' : `\n${indent(depth)}}`;
  }

  /** Absent fields of objects built by decoders are undefined and left out, as JSON.stringify does. */
  private object(object: Record<string, unknown>, depth: number): void {
    const line = `\n${indent(depth + 1)}`;
    let first = true;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const item = object[key];
      if (item === undefined) continue;
      this.field(key, item, first, line, depth);
      first = false;
    }
    this.out += first ? '{}' : `\n${indent(depth)}}`;
  }

  private field(key: string, item: unknown, first: boolean, line: string, depth: number): void {
    this.out += `${first ? '{' : ','}${line}${JSON.stringify(key)}: `;
    this.write(item, depth + 1);
  }
}
