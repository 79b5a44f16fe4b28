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

/** The dump of `bytes`, lines joined with '\n' and no trailing newline; '' for no bytes. */
export function hexdump(bytes: Uint8Array, options: HexdumpOptions = {}): string {
  const limit = Math.max(0, Math.min(bytes.length, options.maxBytes ?? HEXDUMP_MAX_BYTES));
  const shown = limit < bytes.length ? bytes.subarray(0, limit) : bytes;
  const lines: string[] = [];
  for (let start = 0; start < limit; start += BYTES_PER_LINE) lines.push(hexdumpLine(shown, start));
  if (limit < bytes.length) lines.push(moreBytesLine(bytes.length - limit, limit));
  return lines.join('\n');
}

/** 1234567 → "1,234,567"; locale-independent so dumps read the same everywhere. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
