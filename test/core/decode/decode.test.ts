import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { describe, expect, it } from 'vitest';
import type { DecodedPayload } from '../../../electron/common/api';
import { hexdump } from '../../../electron/common/hexdump';
import { decodePayload } from '../../../electron/core/decode';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const raw = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);

function expectHexFallback(result: DecodedPayload, payload: Uint8Array, error: RegExp): void {
  expect(result.decoder).toBe('hex');
  expect(result.language).toBe('hexdump');
  expect(result.text).toBe(hexdump(payload));
  expect(result.error).toMatch(error);
  expect(result.error).toMatch(/^[A-Z].*\. Showing (it|the payload) as hex\.$/s);
}

describe('decodePayload: text', () => {
  it('shows UTF-8 text as it is, with size and timing', () => {
    const payload = utf8('Grüße 🌡 21.5 °C');
    const result = decodePayload(payload, { decoder: 'text', topic: 't' });
    expect(result).toMatchObject({ decoder: 'text', language: 'plaintext', text: 'Grüße 🌡 21.5 °C', size: payload.length });
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('says where the UTF-8 breaks and shows hex instead', () => {
    const payload = raw(0x61, 0x62, 0xff, 0x63);
    const result = decodePayload(payload, { decoder: 'text', topic: 't' });
    expectHexFallback(result, payload, /^This payload is not valid UTF-8 text: the byte 0xff at offset 2 /);
  });
});

describe('decodePayload: json', () => {
  it('pretty-prints with two spaces and keeps 64-bit integers exact', () => {
    const payload = utf8('{"id":12345678901234567890,"v":[1.50,-0],"s":"a\\"b"}');
    const result = decodePayload(payload, { decoder: 'json', topic: 't' });
    expect(result).toMatchObject({ decoder: 'json', language: 'json' });
    expect(result.text).toBe('{\n  "id": 12345678901234567890,\n  "v": [\n    1.50,\n    -0\n  ],\n  "s": "a\\"b"\n}');
    expect(result.text).not.toContain('12345678901234567000');
  });

  it('names the line and column of a syntax error', () => {
    const payload = utf8('{\n  "a": 1\n  "b": 2\n}');
    const result = decodePayload(payload, { decoder: 'json', topic: 't' });
    expectHexFallback(result, payload, /^This payload is not valid JSON: expected ',' or '\}' .*\(line 3, column 3\)\. Showing it as hex\.$/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const payload = raw(0x7b, 0xc0, 0x7d);
    expectHexFallback(decodePayload(payload, { decoder: 'json', topic: 't' }), payload, /not valid JSON: it is not UTF-8 text/);
  });

  it('skips a UTF-8 byte order mark', () => {
    const result = decodePayload(raw(0xef, 0xbb, 0xbf, ...utf8('[1]')), { decoder: 'json', topic: 't' });
    expect(result.text).toBe('[\n  1\n]');
  });
});

describe('decodePayload: hex', () => {
  it('shows the classic dump', () => {
    const result = decodePayload(utf8('AB'), { decoder: 'hex', topic: 't' });
    expect(result).toEqual({ decoder: 'hex', language: 'hexdump', text: '00000000  41 42                                             |AB|', size: 2, ms: result.ms });
  });

  it('stays bounded for a 50 MB payload and says how much is left out', () => {
    const payload = new Uint8Array(50 * 1024 * 1024).fill(0x41);
    const result = decodePayload(payload, { decoder: 'hex', topic: 't' });
    expect(result.size).toBe(payload.length);
    expect(result.text.length).toBeLessThan(6_000_000);
    expect(result.text.split('\n').at(-1)).toBe('… 51,380,224 more bytes not shown (the dump stops after the first 1,048,576 bytes)');
  });
});

describe('decodePayload: base64', () => {
  it("shows a binary payload's bytes as base64, saying so on the first line", () => {
    const result = decodePayload(raw(0x00, 0xff, 0x10, 0x80), { decoder: 'base64', topic: 't' });
    expect(result).toMatchObject({ decoder: 'base64', language: 'plaintext' });
    expect(result.text).toBe("# The payload's 4 bytes as base64:\n\nAP8QgA==");
  });

  it('decodes a payload that is itself base64 and shows the text inside', () => {
    const payload = utf8(Buffer.from('{"hello": "world"}').toString('base64'));
    const result = decodePayload(payload, { decoder: 'base64', topic: 't' });
    expect(result).toMatchObject({ decoder: 'base64', language: 'plaintext' });
    expect(result.text).toBe('# The payload is base64 text; decoded, it is 18 bytes of UTF-8 text:\n\n{"hello": "world"}');
  });

  it('shows decoded binary as a hex dump, also for base64url and wrapped base64', () => {
    const inner = raw(0xfb, 0xff, 0x00, 0x01, 0x02);
    const url = decodePayload(utf8(Buffer.from(inner).toString('base64url')), { decoder: 'base64', topic: 't' });
    expect(url).toMatchObject({ decoder: 'base64', language: 'hexdump' });
    expect(url.text).toBe(`# The payload is base64 text; decoded, it is 5 bytes of binary data, shown as hex:\n\n${hexdump(inner)}`);
    const long = new Uint8Array(100).map((_, i) => (i * 37) & 0xff);
    const wrapped = Buffer.from(long).toString('base64').replace(/.{76}/g, '$&\r\n');
    expect(decodePayload(utf8(wrapped), { decoder: 'base64', topic: 't' }).text).toContain(hexdump(long));
  });

  it('encodes text that is not base64 (wrong length, spaces, stray characters)', () => {
    for (const text of ['hello', 'hello world', 'abc$']) {
      const result = decodePayload(utf8(text), { decoder: 'base64', topic: 't' });
      expect(result.text).toBe(`# The payload's ${text.length} bytes as base64:\n\n${Buffer.from(text).toString('base64')}`);
    }
  });

  it('wraps lines at 76 characters and cuts a huge payload with a line that says so', () => {
    const payload = new Uint8Array(5 * 1024 * 1024);
    const lines = decodePayload(payload, { decoder: 'base64', topic: 't' }).text.split('\n');
    expect(lines[2]).toHaveLength(76);
    expect(lines.at(-1)).toBe('… 1,048,576 more bytes not shown (the dump stops after the first 4,194,304 bytes)');
  });
});

describe('decodePayload: failures become hex with a sentence', () => {
  it('for CBOR', () => {
    const payload = raw(0x82, 0x01);
    expectHexFallback(decodePayload(payload, { decoder: 'cbor', topic: 't' }), payload, /^This payload is not valid CBOR: found array but not enough entries \(got 1, expected 2\)\. Showing it as hex\.$/);
  });

  it('for MessagePack', () => {
    const payload = raw(0xc1);
    expectHexFallback(decodePayload(payload, { decoder: 'msgpack', topic: 't' }), payload, /^This payload is not valid MessagePack: Unrecognized type byte: 0xc1\. Showing it as hex\.$/);
  });

  it('for Sparkplug B', () => {
    const payload = raw(0x12, 0x05, 0x01); // metric field claiming 5 bytes, 1 present
    expectHexFallback(
      decodePayload(payload, { decoder: 'sparkplug', topic: 'spBv1.0/g/NDATA/e' }),
      payload,
      /^This payload is not a valid Sparkplug B payload: it ends in the middle of a field \(index out of range: .*\)\. Showing it as hex\.$/,
    );
  });

  it('for protobuf without a definition', () => {
    const payload = raw(0x08, 0x01);
    expectHexFallback(decodePayload(payload, { decoder: 'protobuf', topic: 't' }), payload, /^No \.proto definition is set for this topic/);
  });
});

describe('decodePayload: auto', () => {
  const cases: Array<[string, Uint8Array, string, DecodedPayload['decoder'], DecodedPayload['language']]> = [
    ['JSON', utf8('{"a":12345678901234567890}'), 'x', 'json', 'json'],
    ['text', utf8('hello'), 'x', 'text', 'plaintext'],
    ['CBOR', encodeCbor({ a: 1 }), 'x', 'cbor', 'json'],
    ['MessagePack', encodeMsgpack({ a: 1 }), 'x', 'msgpack', 'json'],
    ['binary noise', raw(0xde, 0xad, 0xbe, 0xef), 'x', 'hex', 'hexdump'],
  ];
  it.each(cases)('reads %s and names the decoder it used', (_name, payload, topic, decoder, language) => {
    const result = decodePayload(payload, { decoder: 'auto', topic });
    expect(result).toMatchObject({ decoder, language, size: payload.length });
    expect(result.error).toBeUndefined();
  });

  it('keeps big integers exact when it picks JSON', () => {
    expect(decodePayload(utf8('[9007199254740993]'), { decoder: 'auto', topic: 'x' }).text).toBe('[\n  9007199254740993\n]');
  });

  it('judges a Sparkplug topic with a non-Sparkplug payload by its content, without an error', () => {
    const result = decodePayload(utf8('{"not": "protobuf"}'), { decoder: 'auto', topic: 'spBv1.0/g/NDATA/e' });
    expect(result).toMatchObject({ decoder: 'json', language: 'json' });
    expect(result.error).toBeUndefined();
  });

  it('falls back to hex quietly when well-formed CBOR uses a feature the decoder lacks', () => {
    const payload = raw(0x81, 0x5f, 0x41, 0x00, 0xff); // an indefinite byte string, which cborg refuses
    const result = decodePayload(payload, { decoder: 'auto', topic: 'x' });
    expect(result).toMatchObject({ decoder: 'hex', text: hexdump(payload) });
    expect(result.error).toBeUndefined();
  });
});

describe('decodePayload: any bytes', () => {
  it('never throws, and every failure is hex with a sentence, for random and truncated payloads', () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const valid = [encodeCbor({ a: [1, 'x', new Uint8Array(3)] }), encodeMsgpack({ a: [1, 'x', 2n ** 63n] }, { useBigInt64: true }), utf8('{"a":[1,2]}')];
    const payloads: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) payloads.push(new Uint8Array(Math.floor(random() * 64)).map(() => Math.floor(random() * 256)));
    for (const bytes of valid) for (let end = 0; end < bytes.length; end++) payloads.push(bytes.slice(0, end));
    const decoders = ['auto', 'text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'sparkplug', 'protobuf'] as const;
    const proto = { source: 'syntax = "proto3"; message M { int64 a = 1; bytes b = 2; repeated string c = 3; }', messageType: 'M' };
    for (const payload of payloads) {
      for (const decoder of decoders) {
        const result = decodePayload(payload, { decoder, topic: 'spBv1.0/g/NDATA/e', proto });
        expect(typeof result.text).toBe('string');
        expect(result.size).toBe(payload.length);
        if (result.error !== undefined) {
          expect(result.decoder).toBe('hex');
          expect(result.error).toMatch(/\. Showing (it|the payload) as hex\.$/);
        }
      }
    }
  });
});
