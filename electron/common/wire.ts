/**
 * JSON encoding for the web transport: bytes travel as `{ "$bytes": "<base64>" }`.
 * IPC needs none of this (structured clone carries Uint8Array as it is).
 */

const BYTES_TAG = '$bytes';

export function bytesToBase64(data: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < data.length; i += chunk) {
    binary += String.fromCharCode(...data.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** True when `value` holds a Uint8Array (or another typed view) anywhere; deeper than `depth` counts as yes. */
function holdsBytes(value: object, depth: number): boolean {
  if (ArrayBuffer.isView(value) || depth === 0) return true;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === 'object' && item !== null && holdsBytes(item, depth - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && holdsBytes(item, depth - 1)) return true;
  }
  return false;
}

export function toWire(value: unknown): string {
  // A replacer runs for every value: on a 100,000-node answer that was most of its encoding time,
  // and most answers and events carry no bytes at all.
  if (value === null || typeof value !== 'object' || !holdsBytes(value, 64)) return JSON.stringify(value);
  return JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown) {
    // JSON.stringify hands Buffers to replacers already converted by toJSON; look at the holder instead.
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Uint8Array) return { [BYTES_TAG]: bytesToBase64(raw) };
    return v;
  });
}

export function fromWire(text: string): unknown {
  // A reviver makes JSON.parse several times slower on big answers; most carry no bytes at all.
  if (!text.includes(`"${BYTES_TAG}"`)) return JSON.parse(text);
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = v as Record<string, unknown>;
      const encoded = tagged[BYTES_TAG];
      if (typeof encoded === 'string' && Object.keys(tagged).length === 1) return base64ToBytes(encoded);
    }
    return v;
  });
}
