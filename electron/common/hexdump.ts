/**
 * The classic hex dump (as `hexdump -C` prints it): an 8-digit offset, 16 bytes in two groups of
 * eight, and the bytes as ASCII with '.' for anything not printable. Pure, so the renderer can
 * show previews with the same layout the engine sends for the inspector.
 *
 * Unlike `hexdump -C` it never folds repeated lines into '*' (a person looking for a byte wants
 * every line) and prints no closing offset line; a dump cut at `maxBytes` ends with one line
 * that says how many bytes were left out.
 */

/** Bytes dumped before the dump is cut: 65,536 lines, about 5.2 MB of text. */
export const HEXDUMP_MAX_BYTES = 1024 * 1024;

const BYTES_PER_LINE = 16;
/** Width of the hex column including its separators, so short last lines keep the ASCII aligned. */
const HEX_COLUMN_WIDTH = BYTES_PER_LINE * 3 + 1;

const HEX: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const ASCII: string[] = Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.'));

export interface HexdumpOptions {
  /** Dump at most this many bytes (default HEXDUMP_MAX_BYTES). */
  maxBytes?: number;
}

/** One line of the dump for bytes[start, start + 16). */
export function hexdumpLine(bytes: Uint8Array, start: number): string {
  const end = Math.min(start + BYTES_PER_LINE, bytes.length);
  let hex = '';
  let ascii = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    hex += HEX[b] as string;
    hex += i - start === 7 ? '  ' : ' ';
    ascii += ASCII[b] as string;
  }
  return `${start.toString(16).padStart(8, '0')}  ${hex.padEnd(HEX_COLUMN_WIDTH)} |${ascii}|`;
}

/** "… 1,234 more bytes not shown (…)", the line that ends a cut dump. */
export function moreBytesLine(remaining: number, shown: number): string {
  return `… ${groupDigits(remaining)} more bytes not shown (the dump stops after the first ${groupDigits(shown)} bytes)`;
}

/** Characters in a full line, newline included; full lines are written as bytes, not strings. */
const LINE_LENGTH = 79;
const HEX_DIGITS = [...'0123456789abcdef'].map((ch) => ch.charCodeAt(0));
const ascii = new TextDecoder();

/** Full lines for bytes[0, lines * 16), each ending in '\n'; fast because nothing is concatenated. */
function fullLines(bytes: Uint8Array, lines: number): string {
  const out = new Uint8Array(lines * LINE_LENGTH).fill(0x20);
  for (let line = 0; line < lines; line++) {
    const at = line * LINE_LENGTH;
    const offset = line * BYTES_PER_LINE;
    for (let k = 0; k < 8; k++) out[at + k] = HEX_DIGITS[(offset >>> (28 - 4 * k)) & 0xf] as number;
    for (let j = 0; j < BYTES_PER_LINE; j++) {
      const b = bytes[offset + j] as number;
      const hex = at + 10 + j * 3 + (j >= 8 ? 1 : 0);
      out[hex] = HEX_DIGITS[b >> 4] as number;
      out[hex + 1] = HEX_DIGITS[b & 0xf] as number;
      out[at + 61 + j] = b >= 0x20 && b <= 0x7e ? b : 0x2e;
    }
    out[at + 60] = 0x7c;
    out[at + 77] = 0x7c;
    out[at + 78] = 0x0a;
  }
  return ascii.decode(out);
}

/** The dump of `bytes`, lines joined with '\n' and no trailing newline; '' for no bytes. */
export function hexdump(bytes: Uint8Array, options: HexdumpOptions = {}): string {
  const limit = Math.max(0, Math.min(bytes.length, options.maxBytes ?? HEXDUMP_MAX_BYTES));
  const full = Math.floor(limit / BYTES_PER_LINE);
  let text = fullLines(bytes, full);
  if (limit % BYTES_PER_LINE !== 0) text += hexdumpLine(bytes.subarray(0, limit), full * BYTES_PER_LINE);
  else text = text.slice(0, -1);
  if (limit < bytes.length) text += `${text === '' ? '' : '\n'}${moreBytesLine(bytes.length - limit, limit)}`;
  return text;
}

/** 1234567 → "1,234,567"; locale-independent so dumps read the same everywhere. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
