import { describe, expect, it } from 'vitest';
import { groupDigits, hexdump, HEXDUMP_MAX_BYTES, hexdumpLine } from '../../electron/common/hexdump';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

describe('hexdump', () => {
  it('lays bytes out as hexdump -C does: offset, two groups of eight, ASCII with dots', () => {
    const input = bytes('Hello, world!\n', [0x00, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x7f, 0x80], 'ABC');
    // Byte for byte what `hexdump -C` prints for the same input, minus its closing offset line.
    expect(hexdump(input)).toBe(
      [
        '00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  |Hello, world!...|',
        '00000010  01 02 03 04 05 06 07 08  09 0a 0b 0c 0d 0e 0f 7f  |................|',
        '00000020  80 41 42 43                                       |.ABC|',
      ].join('\n'),
    );
  });

  it('keeps the ASCII column aligned when the last line stops inside the second group', () => {
    const dump = hexdump(bytes('0123456789'));
    expect(dump).toBe('00000000  30 31 32 33 34 35 36 37  38 39                    |0123456789|');
    expect(dump.indexOf('|')).toBe(hexdump(bytes('0123456789abcdef')).indexOf('|'));
  });

  it('writes full lines exactly like the line-at-a-time formatter, for every byte value', () => {
    const input = new Uint8Array(16 * 300 + 5).map((_, i) => (i * 131 + (i >> 8)) & 0xff);
    const expected: string[] = [];
    for (let start = 0; start < input.length; start += 16) expected.push(hexdumpLine(input, start));
    expect(hexdump(input).split('\n')).toEqual(expected);
  });

  it('dumps nothing for an empty payload', () => {
    expect(hexdump(new Uint8Array(0))).toBe('');
  });

  it('prints every line, even repeated ones (no * folding)', () => {
    const lines = hexdump(new Uint8Array(64)).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('00000030  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|');
  });

  it('cuts a big payload at the limit and says how many bytes were left out', () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    const dump = hexdump(big);
    const lines = dump.split('\n');
    expect(lines).toHaveLength(HEXDUMP_MAX_BYTES / 16 + 1);
    expect(lines.at(-2)?.startsWith((HEXDUMP_MAX_BYTES - 16).toString(16).padStart(8, '0'))).toBe(true);
    expect(lines.at(-1)).toBe(`… ${groupDigits(big.length - HEXDUMP_MAX_BYTES)} more bytes not shown (the dump stops after the first 1,048,576 bytes)`);
    // 79 characters a line: the dump's size depends on the limit, not on the payload.
    expect(dump.length).toBeLessThan(5_300_000);
  });

  it('says so when the limit is zero', () => {
    expect(hexdump(new Uint8Array(3), { maxBytes: 0 })).toBe('… 3 more bytes not shown (the dump stops after the first 0 bytes)');
  });

  it('honours a smaller limit', () => {
    expect(hexdump(bytes('abcdefghijklmnopqrstuvwxyz'), { maxBytes: 16 }).split('\n')).toEqual([
      '00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|',
      '… 10 more bytes not shown (the dump stops after the first 16 bytes)',
    ]);
  });

  it('groups digits the same in every locale', () => {
    expect(groupDigits(0)).toBe('0');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1000)).toBe('1,000');
    expect(groupDigits(51380224)).toBe('51,380,224');
  });
});
