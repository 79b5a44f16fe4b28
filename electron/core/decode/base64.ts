/**
 * The base64 view. When the payload is itself base64 text (a common way to push binary through
 * text-only pipelines) it is decoded and its content shown: as text when that is text, else as a
 * hex dump. Otherwise the payload's own bytes are shown as base64. The first line says which,
 * since a short word such as "test" is valid base64 too.
 */
import { groupDigits, hexdump, moreBytesLine } from '../../common/hexdump';
import { looksLikeText } from '../../common/detect';
import type { DecoderOutput } from './failure';

/** Payload bytes encoded before the base64 view is cut (≈ 5.6 MB of text). */
export const BASE64_MAX_BYTES = 4 * 1024 * 1024;
/** RFC 2045 line length; Monaco is slow with one multi-megabyte line. */
const LINE = 76;

const STANDARD = /^[A-Za-z0-9+/]+={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]+={0,2}$/;
const utf8 = new TextDecoder('utf-8');

/** The bytes `text` stands for when it is base64 (RFC 4648 §4 or §5, possibly wrapped into lines), else undefined. */
export function base64TextBytes(text: string): Uint8Array | undefined {
  const compact = text.trim().replace(/\r?\n/g, '');
  if (compact.length < 4 || (!STANDARD.test(compact) && !URL_SAFE.test(compact))) return undefined;
  const unpadded = compact.replace(/=+$/, '');
  if (compact.length !== unpadded.length && compact.length % 4 !== 0) return undefined;
  if (unpadded.length % 4 === 1) return undefined; // 6 bits cannot make a byte
  const bytes = new Uint8Array(Buffer.from(unpadded, 'base64'));
  // Non-zero leftover bits mean this is not what an encoder writes: probably just a word.
  const again = Buffer.from(bytes).toString(STANDARD.test(compact) ? 'base64' : 'base64url').replace(/=+$/, '');
  return again === unpadded ? bytes : undefined;
}

export function decodeBase64(payload: Uint8Array): DecoderOutput {
  const asText = payload.length <= 4 * BASE64_MAX_BYTES && looksLikeText(payload) ? utf8.decode(payload) : undefined;
  const inner = asText === undefined ? undefined : base64TextBytes(asText);
  if (inner !== undefined && inner.length > 0) {
    if (looksLikeText(inner)) {
      const header = `# The payload is base64 text; decoded, it is ${groupDigits(inner.length)} bytes of UTF-8 text:`;
      return { decoder: 'base64', language: 'plaintext', text: `${header}\n\n${utf8.decode(inner)}` };
    }
    const header = `# The payload is base64 text; decoded, it is ${groupDigits(inner.length)} bytes of binary data, shown as hex:`;
    return { decoder: 'base64', language: 'hexdump', text: `${header}\n\n${hexdump(inner)}` };
  }
  const shown = payload.subarray(0, BASE64_MAX_BYTES);
  const encoded = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64');
  const lines: string[] = [`# The payload's ${groupDigits(payload.length)} bytes as base64:`, ''];
  for (let at = 0; at < encoded.length; at += LINE) lines.push(encoded.slice(at, at + LINE));
  if (shown.length < payload.length) lines.push(moreBytesLine(payload.length - shown.length, shown.length));
  return { decoder: 'base64', language: 'plaintext', text: lines.join('\n') };
}
