/**
 * Payloads as a person writes them (text, JSON, hex, base64, a file's bytes) turned into the exact
 * bytes that are sent, with a sentence per mistake. Pure: the renderer uses it for live validation
 * and the byte size, the engine for the real send, so both always agree.
 */
import type { PayloadSource } from './api';
import { jsonProblem } from './json-check';

export type PayloadFormat = PayloadSource['format'];

export interface PayloadProblem {
  /** A sentence with the cause and the way out. */
  message: string;
  /** Where the mistake is in the text (1-based, UTF-16 columns as an editor counts them). */
  line?: number;
  column?: number;
  /** UTF-16 offset into the text. */
  offset?: number;
}

export type Encoded = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; problem: PayloadProblem };

const encoder = new TextEncoder();

export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function problemAt(text: string, offset: number, message: string): { ok: false; problem: PayloadProblem } {
  return { ok: false, problem: { message, offset, ...lineAndColumn(text, offset) } };
}

/** Hex digits with any whitespace between them ("01 ff", "01ff", one byte per line...). */
export function decodeHex(text: string, what = 'payload'): Encoded {
  const out = new Uint8Array(text.length >> 1);
  let count = 0;
  let high = -1;
  let highAt = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) continue;
    const digit = hexDigit(code);
    if (digit < 0) {
      const shown = String.fromCodePoint(text.codePointAt(i) ?? code);
      return problemAt(text, i, `The ${what} is not valid hex: '${shown}' is not a hex digit. Use the digits 0-9 and a-f, two per byte; spaces are allowed.`);
    }
    if (high < 0) {
      high = digit;
      highAt = i;
    } else {
      out[count++] = (high << 4) | digit;
      high = -1;
    }
  }
  if (high >= 0) {
    return problemAt(text, highAt, `The ${what} has an odd number of hex digits: every byte needs two digits, so the last one is incomplete.`);
  }
  return { ok: true, bytes: out.slice(0, count) };
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

const BASE64_VALUE = new Int16Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[ch.charCodeAt(0)] = i;

/**
 * Standard base64 (RFC 4648 §4) with its padding; line breaks and spaces between characters are
 * allowed because pasted base64 is often wrapped. Anything else is refused rather than guessed.
 */
export function decodeBase64(text: string, what = 'payload'): Encoded {
  const values: number[] = [];
  let padding = 0;
  let firstPadAt = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) continue;
    if (code === 0x3d) {
      if (firstPadAt < 0) firstPadAt = i;
      padding++;
      continue;
    }
    const value = code < 128 ? (BASE64_VALUE[code] ?? -1) : -1;
    if (value < 0) {
      const shown = String.fromCodePoint(text.codePointAt(i) ?? code);
      const hint = shown === '-' || shown === '_' ? ` ('${shown}' belongs to base64url; replace - with + and _ with /)` : '';
      return problemAt(text, i, `The ${what} is not valid base64: '${shown}' is not a base64 character${hint}.`);
    }
    if (padding > 0) return problemAt(text, firstPadAt, `The ${what} is not valid base64: '=' padding may only come at the end.`);
    values.push(value);
  }
  const total = values.length + padding;
  if (total % 4 !== 0 || padding > 2 || (padding > 0 && values.length % 4 === 1)) {
    return {
      ok: false,
      problem: {
        message: `The ${what} is not valid base64: its length (${total} characters) is not a multiple of 4. Check that it was copied completely, with its '=' padding.`,
      },
    };
  }
  const out = new Uint8Array(Math.floor((values.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const value of values) {
    acc = (acc << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes: out };
}

/** The bytes to send for a payload as written; JSON is checked and sent exactly as typed. */
export function encodePayload(source: PayloadSource): Encoded {
  switch (source.format) {
    case 'bytes':
      return { ok: true, bytes: source.value };
    case 'text':
      return { ok: true, bytes: encodeUtf8(source.value) };
    case 'hex':
      return decodeHex(source.value);
    case 'base64':
      return decodeBase64(source.value);
    case 'json': {
      // An empty payload is ordinary MQTT (it clears a retained message); only text must be JSON.
      if (source.value === '') return { ok: true, bytes: new Uint8Array(0) };
      const problem = jsonProblem(source.value);
      if (problem) {
        return {
          ok: false,
          problem: {
            message: `The payload is not valid JSON: ${problem.reason} (line ${problem.line}, column ${problem.column}). Fix it, or choose the text format to send it as it is.`,
            line: problem.line,
            column: problem.column,
            offset: problem.offset,
          },
        };
      }
      return { ok: true, bytes: encodeUtf8(source.value) };
    }
  }
}

/** Pretty-prints JSON with two spaces; undefined when the text is not valid JSON. */
export function formatJson(text: string): string | undefined {
  if (jsonProblem(text)) return undefined;
  return JSON.stringify(JSON.parse(text), null, 2);
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF), or -1 when all of `bytes` is valid UTF-8.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range rules out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  return firstInvalidUtf8(bytes) < 0;
}

/** "01 ff 7a" (spaced) or "01ff7a". */
export function bytesToHex(bytes: Uint8Array, spaced = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (spaced && i > 0) out += ' ';
    out += (bytes[i] as number).toString(16).padStart(2, '0');
  }
  return out;
}

export { expandTemplate, hasPlaceholders, templateContext, templateProblem, type TemplateContext } from './payload-template';
