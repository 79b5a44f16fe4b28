/**
 * Short, single-line previews of payloads for tree rows and history lists. Only previews are cut,
 * never stored payloads, and a cut preview says so.
 */
import { Buffer, isUtf8 } from 'node:buffer';

/** Characters of text shown in a preview. */
export const PREVIEW_CHARS = 120;
/** Bytes of a binary payload shown as hex (3 characters each: "0a "). */
const PREVIEW_HEX_BYTES = 40;
/** A UTF-8 character is at most 4 bytes: this many bytes always hold PREVIEW_CHARS characters. */
export const PREVIEW_SOURCE_BYTES = PREVIEW_CHARS * 4;

export interface Preview {
  text: string;
  cut: boolean;
}

const EMPTY: Preview = { text: '', cut: false };

/** Bytes at the end of `head` that start a UTF-8 sequence the cut left incomplete. */
function incompleteTail(head: Uint8Array): number {
  const end = head.length;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = head[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/** True for C0 controls other than tab, newline and carriage return: a sign of binary data. */
function hasBinaryControls(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
    if (code === 0x7f) return true;
  }
  return false;
}

function hexPreview(payload: Uint8Array): Preview {
  const shown = Math.min(payload.length, PREVIEW_HEX_BYTES);
  const text = Buffer.from(payload.buffer, payload.byteOffset, shown).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return { text, cut: payload.length > shown };
}

/**
 * The first PREVIEW_CHARS characters of a UTF-8 payload on one line, or a hex preview of a binary
 * one. `size` is the full payload size when `payload` holds only its head (as read from the store).
 */
export function makePreview(payload: Uint8Array, size = payload.length): Preview {
  if (size === 0) return EMPTY;
  let head = payload.length > PREVIEW_SOURCE_BYTES ? payload.subarray(0, PREVIEW_SOURCE_BYTES) : payload;
  const headIsCut = head.length < size;
  if (headIsCut) head = head.subarray(0, head.length - incompleteTail(head));
  if (!isUtf8(head)) return hexPreview(payload);
  let text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('utf8');
  if (hasBinaryControls(text)) return hexPreview(payload);
  let cut = headIsCut;
  if (text.length > PREVIEW_CHARS) {
    let end = PREVIEW_CHARS;
    // Do not split a surrogate pair: half an emoji would render as a replacement character.
    if ((text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    text = text.slice(0, end);
    cut = true;
  }
  // Tree rows are one line: newlines and tabs become spaces.
  if (/[\t\n\r]/.test(text)) text = text.replace(/[\t\n\r]+/g, ' ');
  return { text, cut };
}
