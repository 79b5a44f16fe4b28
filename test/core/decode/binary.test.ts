import { encode as encodeMsgpack, ExtData } from '@msgpack/msgpack';
import { encode as encodeCbor, Tagged } from 'cborg';
import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../../electron/core/decode';

const cbor = (payload: Uint8Array) => decodePayload(payload, { decoder: 'cbor', topic: 't' });
const msgpack = (payload: Uint8Array) => decodePayload(payload, { decoder: 'msgpack', topic: 't' });
const raw = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);

describe('CBOR', () => {
  it('decodes to indented JSON with 64-bit integers exact and byte strings as hex', () => {
    const payload = encodeCbor({ id: 9007199254740993n, big: 12345678901234567890n, neg: -9007199254740993n, raw: new Uint8Array([0xde, 0xad]), ok: true, list: [1, 'two', null] });
    const result = cbor(payload);
    expect(result).toMatchObject({ decoder: 'cbor', language: 'json' });
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(
      [
        // cborg writes keys in RFC 8949 order (shorter first); the decoder keeps the wire order.
        '{',
        '  "id": 9007199254740993,',
        '  "ok": true,',
        '  "big": 12345678901234567890,',
        '  "neg": -9007199254740993,',
        '  "raw": {',
        '    "$hex": "dead"',
        '  },',
        '  "list": [',
        '    1,',
        '    "two",',
        '    null',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it('shows tags with their number, and epoch times also as ISO', () => {
    const payload = encodeCbor([new Tagged(1, 1700000000), new Tagged(32, 'https://example.com')]);
    const value = JSON.parse(cbor(payload).text) as unknown;
    expect(value).toEqual([
      { $tag: 1, $value: 1700000000, $iso: '2023-11-14T22:13:20.000Z' },
      { $tag: 32, $value: 'https://example.com' },
    ]);
  });

  it('reads bignum tags 2 and 3 as exact integers', () => {
    // 2^64 (tag 2) and -1 - 2^64 (tag 3), RFC 8949 §3.4.3
    const magnitude = [0x49, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(cbor(raw(0x82, 0xc2, ...magnitude, 0xc3, ...magnitude)).text).toBe('[\n  18446744073709551616,\n  -18446744073709551617\n]');
  });

  it('keeps maps with non-string keys as key/value pairs, and undefined and NaN visible', () => {
    // {1: "a", h'01': 2} then [undefined, NaN, Infinity]
    const payload = raw(0x82, 0xa2, 0x01, 0x61, 0x61, 0x41, 0x01, 0x02, 0x83, 0xf7, 0xf9, 0x7e, 0x00, 0xf9, 0x7c, 0x00);
    expect(JSON.parse(cbor(payload).text)).toEqual([
      { $map: [[1, 'a'], [{ $hex: '01' }, 2]] },
      [{ $undefined: true }, { $float: 'NaN' }, { $float: 'Infinity' }],
    ]);
  });

  it('keeps map keys in the order they were sent, number-like keys included', () => {
    // {"b": 1, "10": 2, "2": undefined}: a JS object would move "2" and "10" to the front
    const payload = raw(0xa3, 0x61, 0x62, 0x01, 0x62, 0x31, 0x30, 0x02, 0x61, 0x32, 0xf7);
    expect(cbor(payload).text).toBe('{\n  "b": 1,\n  "10": 2,\n  "2": {\n    "$undefined": true\n  }\n}');
  });

  it('refuses trailing bytes after the item', () => {
    const result = cbor(raw(...encodeCbor([1]), 0x01));
    expect(result.decoder).toBe('hex');
    expect(result.error).toMatch(/^This payload is not valid CBOR: .+\. Showing it as hex\.$/);
  });

  it('cuts a huge byte string inside and says its real size', () => {
    const result = cbor(encodeCbor({ blob: new Uint8Array(100_000) }));
    const value = JSON.parse(result.text) as { blob: { $hex: string; $size: number; $shown: number } };
    expect(value.blob.$size).toBe(100_000);
    expect(value.blob.$hex).toHaveLength(value.blob.$shown * 2);
  });
});

describe('MessagePack', () => {
  it('decodes with 64-bit integers as exact bigints and binary as hex', () => {
    const payload = encodeMsgpack({ id: 9007199254740993n, max: 18446744073709551615n, min: -9223372036854775808n, small: 7, bin: new Uint8Array([1, 2, 255]), f: 1.5 }, { useBigInt64: true });
    const result = msgpack(payload);
    expect(result).toMatchObject({ decoder: 'msgpack', language: 'json' });
    expect(result.text).toContain('"id": 9007199254740993,');
    expect(result.text).toContain('"max": 18446744073709551615,');
    expect(result.text).toContain('"min": -9223372036854775808,');
    expect(JSON.parse(result.text.replace(/\d{16,}/g, '0'))).toMatchObject({ small: 7, bin: { $hex: '0102ff' }, f: 1.5 });
  });

  it('shows timestamps as ISO and unknown extensions with their type', () => {
    const payload = encodeMsgpack([new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), new ExtData(5, new Uint8Array([7, 8]))]);
    expect(JSON.parse(msgpack(payload).text)).toEqual([{ $timestamp: '2024-01-02T03:04:05.000Z' }, { $ext: 5, $hex: '0708' }]);
  });

  it('accepts map keys that are not strings', () => {
    // {[1, 2]: "pair"}
    expect(JSON.parse(msgpack(raw(0x81, 0x92, 0x01, 0x02, 0xa4, ...new TextEncoder().encode('pair'))).text)).toEqual({ '[ 1, 2 ]': 'pair' });
  });

  it('refuses a truncated payload', () => {
    const payload = encodeMsgpack({ name: 'pump' }).slice(0, -2);
    const result = msgpack(payload);
    expect(result.decoder).toBe('hex');
    expect(result.error).toMatch(/^This payload is not valid MessagePack: .+\. Showing it as hex\.$/);
  });
});
