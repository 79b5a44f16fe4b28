/** CBOR (cborg) and MessagePack (@msgpack/msgpack) decoded into JSON-like text. */
import { decode as decodeMsgpackValue, ExtData } from '@msgpack/msgpack';
import { decode as decodeCborValue, type TagDecoder } from 'cborg';
import { type DecoderOutput, notValid, reasonOf } from './failure';
import { bytesToBigInt, ExtensionValue, TaggedValue, toJsonText } from './json-text';

/** Bignums become exact bigints; every other tag is kept with its number so it can be shown. */
function tagDecoder(tag: number): TagDecoder {
  return (decode) => {
    const content = decode();
    if ((tag === 2 || tag === 3) && content instanceof Uint8Array) {
      const magnitude = bytesToBigInt(content);
      return tag === 2 ? magnitude : -1n - magnitude; // RFC 8949 §3.4.3
    }
    return new TaggedValue(tag, content);
  };
}

/** cborg looks tags up by number; answering for every number keeps unknown tags instead of failing. */
const ALL_TAGS = new Proxy({} as Record<number, TagDecoder>, {
  get: (_target, key) => (typeof key === 'string' && /^\d+$/.test(key) ? tagDecoder(Number(key)) : undefined),
});

export function decodeCbor(payload: Uint8Array): DecoderOutput {
  let value: unknown;
  try {
    value = decodeCborValue(payload, {
      tags: ALL_TAGS,
      useMaps: true,
      allowUndefined: true,
      allowInfinity: true,
      allowNaN: true,
      allowBigInt: true,
    });
  } catch (error) {
    throw notValid('valid CBOR', reasonOf(error).replace(/^CBOR decode error: /, ''));
  }
  return { decoder: 'cbor', language: 'json', text: toJsonText(value) };
}

/** Map keys that are not strings or numbers (arrays, maps, binary) become their JSON text. */
function mapKey(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (typeof key === 'bigint') return key.toString();
  return toJsonText(key).replace(/\s*\n\s*/g, ' ');
}

export function decodeMsgpack(payload: Uint8Array): DecoderOutput {
  let value: unknown;
  try {
    value = decodeMsgpackValue(payload, { useBigInt64: true, mapKeyConverter: mapKey });
  } catch (error) {
    throw notValid('valid MessagePack', reasonOf(error));
  }
  return { decoder: 'msgpack', language: 'json', text: toJsonText(value, adaptExtension) };
}

/** ExtData → ExtensionValue, so json-text needs no knowledge of the MessagePack library. */
function adaptExtension(value: unknown): unknown {
  if (!(value instanceof ExtData)) return value;
  return new ExtensionValue(value.type, value.data instanceof Uint8Array ? value.data : new Uint8Array(0));
}
