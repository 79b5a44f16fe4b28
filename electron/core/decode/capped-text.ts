import type { DecodedPayload } from '../../common/api';

/** The decoded payload with at most `max` characters of text, never splitting a surrogate pair. */
export function cappedText(decoded: DecodedPayload, max: number | undefined): DecodedPayload {
  if (max === undefined || decoded.text.length <= max) return decoded;
  let end = max;
  if (end > 0 && (decoded.text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
  return { ...decoded, text: decoded.text.slice(0, end), truncated: true, textLength: decoded.text.length };
}
