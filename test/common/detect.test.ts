import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { describe, expect, it } from 'vitest';
import {
  detectContent,
  detectDecoder,
  isPlausibleCbor,
  isPlausibleMsgpack,
  isSparkplugTopic,
  looksLikeText,
} from '../../electron/common/detect';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const raw = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);

describe('detectDecoder', () => {
  const table: Array<[string, Uint8Array, string, string]> = [
    ['a JSON object', utf8('{"temp": 21.5, "ok": true}'), 'sensors/a', 'json'],
    ['a JSON array with surrounding whitespace', utf8('  [1, 2, 3]\n'), 'x', 'json'],
    ['a bare JSON number', utf8('42'), 'x', 'json'],
    ['a big integer, still JSON', utf8('12345678901234567890'), 'x', 'json'],
    ['a JSON string', utf8('"on"'), 'x', 'json'],
    ['a JSON literal', utf8('true'), 'x', 'json'],
    ['plain words', utf8('hello world'), 'x', 'text'],
    ['broken JSON, which is still text', utf8('{"a": 1,}'), 'x', 'text'],
    ['a number with a leading zero', utf8('0123'), 'x', 'text'],
    ['an empty payload', raw(), 'x', 'text'],
    ['UTF-8 text beyond ASCII', utf8('Grüße, 温度 🌡'), 'x', 'text'],
    ['a coloured log line (ESC is fine)', utf8('\u001b[31mERROR\u001b[0m disk full\n'), 'x', 'text'],
    ['valid UTF-8 full of control bytes (protobuf-like)', raw(0x0a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x10, 0x01), 'x', 'hex'],
    ['a NUL inside otherwise readable text', utf8('abc\u0000def'), 'x', 'hex'],
    ['a CBOR map', encodeCbor({ temp: 21.5, unit: 'C' }), 'x', 'cbor'],
    ['a CBOR array', encodeCbor([1, 2, 3]), 'x', 'cbor'],
    ['a tagged CBOR value', raw(0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00), 'x', 'cbor'],
    ['CBOR with indefinite lengths', raw(0xbf, 0x61, 0x61, 0x9f, 0x01, 0x02, 0xff, 0xff), 'x', 'cbor'],
    ['a MessagePack map', encodeMsgpack({ temp: 21.5, unit: 'C' }), 'x', 'msgpack'],
    ['a MessagePack array with a 64-bit integer', encodeMsgpack([9007199254740993n, 'x'], { useBigInt64: true }), 'x', 'msgpack'],
    ['a MessagePack bin', encodeMsgpack(new Uint8Array([0xff, 0xfe])), 'x', 'msgpack'],
    ['random bytes', raw(0xde, 0xad, 0xbe, 0xef, 0x00, 0x11), 'x', 'hex'],
    ['a CBOR map with a byte missing at the end', encodeCbor({ a: 1, b: 2 }).slice(0, -1), 'x', 'hex'],
    ['a CBOR array with a stray byte after it', raw(...encodeCbor([1, 2]), 0x01), 'x', 'hex'],
    ['a lone CBOR float (not evidence of CBOR)', raw(0xfb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18), 'x', 'hex'],
    ['a Sparkplug NDATA topic, whatever the bytes', raw(0x08, 0x01), 'spBv1.0/plant/NDATA/edge1', 'sparkplug'],
    ['a Sparkplug DBIRTH topic', raw(), 'spBv1.0/plant/DBIRTH/edge1/pump', 'sparkplug'],
    ['a Sparkplug 3.0 STATE message (JSON by content)', utf8('{"online": true, "timestamp": 1700000000000}'), 'spBv1.0/STATE/host1', 'json'],
    ['a Sparkplug 2.2 STATE message (text)', utf8('ONLINE'), 'STATE/host1', 'text'],
    ['a topic that only resembles Sparkplug', utf8('x'), 'spBv1.0x/plant/NDATA/edge', 'text'],
  ];
  it.each(table)('%s → chosen by topic and content', (_name, payload, topic, expected) => {
    expect(detectDecoder(payload, topic).decoder).toBe(expected);
  });

  it('hands back the decoded text for JSON and text so it is not decoded twice', () => {
    expect(detectContent(utf8('{"a":1}'))).toEqual({ decoder: 'json', text: '{"a":1}' });
    expect(detectContent(utf8('plain'))).toEqual({ decoder: 'text', text: 'plain' });
    expect(detectContent(raw(0xff)).text).toBeUndefined();
  });
});

describe('looksLikeText', () => {
  it('refuses invalid UTF-8 even when it is mostly ASCII', () => {
    expect(looksLikeText(raw(0x61, 0x62, 0xc3))).toBe(false);
    expect(looksLikeText(raw(0x61, 0xed, 0xa0, 0x80))).toBe(false); // a UTF-16 surrogate
  });

  it('allows a rare control byte in a long text but not in a short one', () => {
    const long = utf8(`${'x'.repeat(500)}\u0007${'y'.repeat(500)}`);
    expect(looksLikeText(long)).toBe(true);
    expect(looksLikeText(utf8('ab\u0007'))).toBe(false);
  });
});

describe('structure checks', () => {
  it('accepts CBOR only when the whole buffer is one well-formed item', () => {
    expect(isPlausibleCbor(encodeCbor({ nested: { list: [1, 'two', new Uint8Array([3])] } }))).toBe(true);
    expect(isPlausibleCbor(raw(0x82, 0x01))).toBe(false); // array of two with one item
    expect(isPlausibleCbor(raw(0xbf, 0x61, 0x61, 0xff))).toBe(false); // indefinite map with a key and no value
    expect(isPlausibleCbor(raw(0x81, 0x1c))).toBe(false); // reserved additional information
    expect(isPlausibleCbor(raw(0x81, 0x62, 0xff, 0xfe))).toBe(false); // text string that is not UTF-8
    expect(isPlausibleCbor(raw(0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(false); // claims 2^64 items
    expect(isPlausibleCbor(raw(0x01))).toBe(false); // a lone small integer
  });

  it('accepts MessagePack only when the whole buffer is one well-formed item', () => {
    expect(isPlausibleMsgpack(encodeMsgpack({ a: [1, 2.5, 'x', null, true, new Uint8Array(3)], b: { c: -1 } }))).toBe(true);
    expect(isPlausibleMsgpack(raw(0x92, 0x01))).toBe(false);
    expect(isPlausibleMsgpack(raw(0x91, 0xc1))).toBe(false); // 0xc1 is never used
    expect(isPlausibleMsgpack(raw(0x81, 0xa1, 0xff, 0x01))).toBe(false); // key that is not UTF-8
    expect(isPlausibleMsgpack(raw(0xdd, 0xff, 0xff, 0xff, 0xff))).toBe(false);
    expect(isPlausibleMsgpack(raw(0x91, 0xd4, 0x05, 0x07))).toBe(true); // fixext 1
  });

  it('stays linear on deep nesting instead of overflowing', () => {
    const deep = new Uint8Array(200_000).fill(0x81);
    expect(isPlausibleCbor(deep)).toBe(false);
    expect(isPlausibleMsgpack(deep.fill(0x91))).toBe(false);
  });
});

describe('isSparkplugTopic', () => {
  it('matches the protobuf message types of Sparkplug B only', () => {
    for (const type of ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD']) {
      expect(isSparkplugTopic(`spBv1.0/g/${type}/e`)).toBe(true);
    }
    expect(isSparkplugTopic('spBv1.0/STATE/host')).toBe(false);
    expect(isSparkplugTopic('spBv1.0/g/FOO/e')).toBe(false);
    expect(isSparkplugTopic('spAv1.0/g/NDATA/e')).toBe(false);
  });
});
