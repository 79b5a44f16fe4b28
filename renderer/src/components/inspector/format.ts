/** Formats used by the inspector: times with milliseconds, hex dumps. */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 14:03:27.518 — local time of day with milliseconds. */
export function timeOfDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** 2025-03-01 14:03:27.518 — local date and time with milliseconds. */
export function dateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${timeOfDay(epochMs)}`;
}

/** Time of day for today's messages, date and time for older ones (history lists). */
export function shortTime(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? timeOfDay(epochMs) : dateTime(epochMs);
}

/** A classic hex dump: offset, 16 bytes in two groups of 8, ASCII column. Bounded by `limit` bytes. */
export function hexDump(bytes: Uint8Array, limit = 1_048_576): string {
  const shown = Math.min(bytes.length, limit);
  const lines: string[] = [];
  for (let offset = 0; offset < shown; offset += 16) {
    const chunk = bytes.subarray(offset, Math.min(offset + 16, shown));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = chunk[i];
      hex += byte === undefined ? '   ' : byte.toString(16).padStart(2, '0') + ' ';
      if (i === 7) hex += ' ';
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  if (bytes.length > shown) lines.push(`… ${bytes.length - shown} more bytes not shown`);
  return lines.join('\n');
}

export const DECODER_LABELS: Record<string, string> = {
  auto: 'Auto-detect',
  text: 'UTF-8 text',
  json: 'JSON',
  hex: 'Hex dump',
  base64: 'Base64',
  cbor: 'CBOR',
  msgpack: 'MessagePack',
  sparkplug: 'Sparkplug B',
  protobuf: 'Protobuf (.proto)',
};
