/**
 * Which decoder "auto" picks for a payload: by topic first (Sparkplug B), then by content.
 * Pure and linear in the payload size, so the renderer can use it for previews too.
 *
 * Content rules, in order:
 * - valid UTF-8 with almost no control characters is text; it is JSON when it parses as JSON
 *   (any JSON value: a bare 42 or "on" is shown as JSON too, which only adds colour);
 * - anything else is CBOR or MessagePack only when the whole buffer is exactly one well-formed
 *   item whose first byte is a container, byte string or tag (a lone number is not evidence),
 *   and every text string inside is UTF-8; CBOR wins when both read cleanly;
 * - else hex.
 */
import type { DecoderName } from './api';
import { jsonProblem } from './json-check';
import { firstInvalidUtf8 } from './payload';

export type DetectedDecoder = Extract<DecoderName, 'sparkplug' | 'json' | 'text' | 'cbor' | 'msgpack' | 'hex'>;

export interface Detection {
  decoder: DetectedDecoder;
  /** The payload as a string when `decoder` is 'json' or 'text', so callers need not decode twice. */
  text?: string;
}

/** Sparkplug B message types whose payloads are protobuf (STATE is JSON or plain text). */
const SPARKPLUG_PROTOBUF_TYPES = new Set(['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD']);

/** `spBv1.0/<group>/<type>/<edge node>[/<device>]` with a protobuf message type. */
export function isSparkplugTopic(topic: string): boolean {
  if (!topic.startsWith('spBv1.0/')) return false;
  const type = topic.split('/', 3)[2];
  return type !== undefined && SPARKPLUG_PROTOBUF_TYPES.has(type);
}

export function detectDecoder(payload: Uint8Array, topic: string): Detection {
  if (isSparkplugTopic(topic)) return { decoder: 'sparkplug' };
  return detectContent(payload);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function detectContent(payload: Uint8Array): Detection {
  if (looksLikeText(payload)) {
    const text = utf8.decode(payload);
    return { decoder: startsLikeJson(text) && jsonProblem(text) === undefined ? 'json' : 'text', text };
  }
  if (isPlausibleCbor(payload)) return { decoder: 'cbor' };
  if (isPlausibleMsgpack(payload)) return { decoder: 'msgpack' };
  return { decoder: 'hex' };
}

/**
 * Valid UTF-8 whose control characters (other than tab, line breaks, form feed and ESC for
 * coloured logs) are rare: none at all in a short payload, under 1% in a long one. Binary
 * formats such as protobuf are often valid UTF-8 but full of low bytes.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  let controls = 0;
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x20) {
      if (b >= 0x7f) {
        if (b === 0x7f) controls++;
        else ascii = false;
      }
      continue;
    }
    if (b === 0) return false;
    if (b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  }
  if (controls * 100 > bytes.length) return false;
  return ascii || firstInvalidUtf8(bytes) < 0;
}

function startsLikeJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  return first !== undefined && '{["-0123456789tfn'.includes(first);
}

const MAX_DEPTH = 1000;

/** Open containers while walking: items still expected, or -1 until a break (indefinite). */
interface Open {
  remaining: number;
  /** Indefinite CBOR maps must close after an even number of items. */
  count: number;
  map: boolean;
}

/** A CBOR-encoded array, map, byte string or tag that fills the buffer exactly (RFC 8949 §5.3.1). */
export function isPlausibleCbor(bytes: Uint8Array): boolean {
  const first = bytes[0];
  if (first === undefined) return false;
  const major = first >> 5;
  if (major !== 2 && major !== 4 && major !== 5 && major !== 6) return false;
  return cborWellFormed(bytes);
}

/** Reads the argument of a CBOR head at `at`; -2 when the head is malformed, -1 for indefinite. */
function cborArgument(bytes: Uint8Array, at: number): { value: number; next: number } {
  const info = (bytes[at] as number) & 0x1f;
  if (info < 24) return { value: info, next: at + 1 };
  if (info === 31) return { value: -1, next: at + 1 };
  if (info > 27) return { value: -2, next: at + 1 };
  const size = 1 << (info - 24);
  if (at + 1 + size > bytes.length) return { value: -2, next: at + 1 };
  let value = 0;
  for (let k = 1; k <= size; k++) value = value * 256 + (bytes[at + k] as number);
  return { value, next: at + 1 + size };
}

function cborWellFormed(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const stack: Open[] = [];
  let i = 0;
  for (;;) {
    if (i >= n) return false;
    const head = bytes[i] as number;
    const major = head >> 5;
    if (head === 0xff) {
      const top = stack.pop();
      if (top === undefined || top.remaining !== -1 || (top.map && top.count % 2 !== 0)) return false;
      i++;
    } else {
      const { value, next } = cborArgument(bytes, i);
      if (value === -2) return false;
      i = next;
      if (value === -1 && (major < 2 || major === 6)) return false;
      if (major === 2 || major === 3) {
        if (value === -1) {
          // An indefinite string is definite chunks of the same major type up to a break.
          while (i < n && bytes[i] !== 0xff) {
            if ((bytes[i] as number) >> 5 !== major) return false;
            const chunk = cborArgument(bytes, i);
            if (chunk.value < 0 || chunk.next + chunk.value > n) return false;
            if (major === 3 && firstInvalidUtf8(bytes.subarray(chunk.next, chunk.next + chunk.value)) >= 0) return false;
            i = chunk.next + chunk.value;
          }
          if (i >= n) return false;
          i++;
        } else {
          if (i + value > n) return false;
          if (major === 3 && firstInvalidUtf8(bytes.subarray(i, i + value)) >= 0) return false;
          i += value;
        }
      } else if (major === 4 || major === 5 || major === 6) {
        const items = major === 6 ? 1 : value === -1 ? -1 : major === 5 ? value * 2 : value;
        if (items !== 0) {
          if (stack.length >= MAX_DEPTH) return false;
          stack.push({ remaining: items, count: 0, map: major === 5 });
          continue;
        }
      } else if (major === 7 && (head & 0x1f) === 24 && value < 32) {
        return false; // two-byte simple values below 32 are not well-formed (RFC 8949 §3.3)
      }
    }
    if (completeItem(stack)) return i === n;
  }
}

/** Counts one finished item against the open containers; true when the top-level item is done. */
function completeItem(stack: Open[]): boolean {
  for (;;) {
    const top = stack.at(-1);
    if (top === undefined) return true;
    if (top.remaining === -1) {
      top.count++;
      return false;
    }
    top.remaining--;
    if (top.remaining > 0) return false;
    stack.pop();
  }
}

/** A MessagePack map, array or bin that fills the buffer exactly. */
export function isPlausibleMsgpack(bytes: Uint8Array): boolean {
  const first = bytes[0];
  if (first === undefined) return false;
  const container = (first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf) || (first >= 0xc4 && first <= 0xc6);
  return container && msgpackWellFormed(bytes);
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let k = 0; k < size; k++) value = value * 256 + (bytes[at + k] as number);
  return value;
}

/** Bytes of fixed-size data after the head byte, for the formats that have no length field. */
function msgpackFixedSize(head: number): number {
  if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) return 0;
  if (head === 0xca) return 4;
  if (head === 0xcb) return 8;
  if (head >= 0xcc && head <= 0xd3) return 1 << (head & 0x03);
  if (head >= 0xd4 && head <= 0xd8) return 1 + (1 << (head - 0xd4)); // fixext: type byte + data
  return -1;
}

function msgpackWellFormed(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const stack: Open[] = [];
  let i = 0;
  for (;;) {
    if (i >= n) return false;
    const head = bytes[i++] as number;
    let items = 0;
    if (head >= 0x80 && head <= 0x8f) items = (head & 0x0f) * 2;
    else if (head >= 0x90 && head <= 0x9f) items = head & 0x0f;
    else if (head === 0xdc || head === 0xdd || head === 0xde || head === 0xdf) {
      const size = head === 0xdc || head === 0xde ? 2 : 4;
      if (i + size > n) return false;
      items = readUint(bytes, i, size) * (head >= 0xde ? 2 : 1);
      i += size;
    } else {
      let length: number;
      let text = false;
      if (head >= 0xa0 && head <= 0xbf) {
        length = head & 0x1f;
        text = true;
      } else if ((head >= 0xc4 && head <= 0xc9) || (head >= 0xd9 && head <= 0xdb)) {
        // bin 8/16/32, ext 8/16/32 (plus a type byte), str 8/16/32
        const size = head >= 0xd9 ? 1 << (head - 0xd9) : 1 << ((head - 0xc4) % 3);
        if (i + size > n) return false;
        length = readUint(bytes, i, size) + (head >= 0xc7 && head <= 0xc9 ? 1 : 0);
        text = head >= 0xd9;
        i += size;
      } else {
        length = msgpackFixedSize(head);
        if (length < 0) return false; // 0xc1 is never used
      }
      if (i + length > n) return false;
      if (text && firstInvalidUtf8(bytes.subarray(i, i + length)) >= 0) return false;
      i += length;
    }
    if (items > 0) {
      if (stack.length >= MAX_DEPTH) return false;
      stack.push({ remaining: items, count: 0, map: false });
      continue;
    }
    if (completeItem(stack)) return i === n;
  }
}
