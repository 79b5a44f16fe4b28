/** Payload bytes as text for copying: UTF-8 when it is, else space-separated hex. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export function toHex(bytes: Uint8Array, separator = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
}

export function payloadText(bytes: Uint8Array): string {
  return utf8OrNull(bytes) ?? toHex(bytes);
}
