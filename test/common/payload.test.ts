import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../electron/common/json-check';
import {
  bytesToHex,
  decodeBase64,
  decodeHex,
  encodePayload,
  firstInvalidUtf8,
  formatJson,
  isValidUtf8,
  type Encoded,
} from '../../electron/common/payload';

const bytesOf = (encoded: Encoded): number[] => {
  if (!encoded.ok) throw new Error(encoded.problem.message);
  return [...encoded.bytes];
};
const problemOf = (encoded: Encoded) => {
  if (encoded.ok) throw new Error('expected a problem');
  return encoded.problem;
};

describe('text payloads', () => {
  it('encodes text as UTF-8', () => {
    expect(bytesOf(encodePayload({ format: 'text', value: 'é€😀' }))).toEqual([...Buffer.from('é€😀', 'utf8')]);
    expect(bytesOf(encodePayload({ format: 'text', value: '' }))).toEqual([]);
  });

  it('passes bytes from a file through untouched', () => {
    const value = new Uint8Array([0, 255, 128, 10]);
    expect(bytesOf(encodePayload({ format: 'bytes', value }))).toEqual([0, 255, 128, 10]);
  });
});

describe('JSON payloads', () => {
  it('sends valid JSON exactly as typed, whitespace included', () => {
    const value = '{ "a" : [1, 2.5e3, -0, true, null, "x\\n\\u00e9"] }\n';
    expect(bytesOf(encodePayload({ format: 'json', value }))).toEqual([...Buffer.from(value, 'utf8')]);
  });

  it.each([
    ['{"a":1,}', 1, 8, /trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '}' after a property value but found '"'/],
    ['[1, 2', 1, 6, /expected ',' or ']'.*end of the text/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{"a": 01}', 1, 8, /leading zeros/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['"abc', 1, 1, /closing " is missing/],
    ['{"a": "x\ty"}', 1, 9, /control character/],
    ['{} {}', 1, 4, /after the end of the JSON value/],
    ['  ', 1, 1, /empty/],
    ['[1,]', 1, 4, /trailing comma/],
    ['{"a" 1}', 1, 6, /expected ':'/],
  ])('refuses %j at line %i, column %i', (text, line, column, reason) => {
    const problem = problemOf(encodePayload({ format: 'json', value: text }));
    expect(problem.line).toBe(line);
    expect(problem.column).toBe(column);
    expect(problem.message).toMatch(reason);
    expect(problem.message).toMatch(/^The payload is not valid JSON: .*\(line \d+, column \d+\)\. Fix it/);
  });

  it('sends an empty payload as no bytes at all', () => {
    expect(bytesOf(encodePayload({ format: 'json', value: '' }))).toEqual([]);
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = ['1', '-1.5E+3', '"\\ud83d\\ude00"', '[[[]]]', '{"a":{"b":[{}]}}', ' true ', 'null', '1.', '.5', '+1', '[,1]', '{"a":}', '"\\x"', 'nul'];
    for (const text of samples) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(jsonProblem(text) === undefined, text).toBe(parses);
    }
  });

  it('survives deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(jsonProblem(deep)).toBeUndefined();
    expect(jsonProblem('['.repeat(200_000))?.reason).toMatch(/end of the text/);
  });

  it('formats valid JSON and leaves invalid JSON alone', () => {
    expect(formatJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(formatJson('{"a":')).toBeUndefined();
  });
});

describe('hex payloads', () => {
  it('accepts spaces, line breaks and either case', () => {
    expect(bytesOf(decodeHex('01 ff\n7A\t0b'))).toEqual([0x01, 0xff, 0x7a, 0x0b]);
    expect(bytesOf(decodeHex('01ff'))).toEqual([0x01, 0xff]);
    expect(bytesOf(decodeHex('  '))).toEqual([]);
  });

  it('names the bad character and where it is', () => {
    const problem = problemOf(encodePayload({ format: 'hex', value: '01 fg' }));
    expect(problem.message).toBe("The payload is not valid hex: 'g' is not a hex digit. Use the digits 0-9 and a-f, two per byte; spaces are allowed.");
    expect(problem).toMatchObject({ line: 1, column: 5, offset: 4 });
  });

  it('refuses an odd number of digits', () => {
    expect(problemOf(decodeHex('01 f')).message).toMatch(/odd number of hex digits/);
  });
});

describe('base64 payloads', () => {
  it('decodes standard base64 with padding and line breaks', () => {
    expect(bytesOf(decodeBase64('aGVsbG8='))).toEqual([...Buffer.from('hello')]);
    expect(bytesOf(decodeBase64('aGVs\nbG8h'))).toEqual([...Buffer.from('hello!')]);
    expect(bytesOf(decodeBase64('AP8='))).toEqual([0, 255]);
    const random = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    expect(bytesOf(decodeBase64(random.toString('base64')))).toEqual([...random]);
  });

  it('refuses missing padding, bad characters and padding in the middle', () => {
    expect(problemOf(decodeBase64('aGVsbG8')).message).toMatch(/not a multiple of 4/);
    expect(problemOf(decodeBase64('aGV*bG8=')).message).toMatch(/'\*' is not a base64 character/);
    expect(problemOf(decodeBase64('a-8=')).message).toMatch(/base64url/);
    expect(problemOf(decodeBase64('aG==bG8=')).message).toMatch(/padding may only come at the end/);
    expect(problemOf(decodeBase64('a===')).message).toMatch(/not a multiple of 4|padding/);
  });
});

describe('UTF-8 validity', () => {
  it('accepts valid UTF-8 and finds the first bad byte', () => {
    expect(isValidUtf8(Buffer.from('plain é € 😀'))).toBe(true);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xff, 0x61]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // encoded surrogate
    expect(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1); // cut short
  });

  it('agrees with a fatal TextDecoder on every two-byte sequence', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b += 3) {
        const bytes = new Uint8Array([a, b]);
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(isValidUtf8(bytes)).toBe(valid);
      }
    }
  });
});

it('shows bytes as hex', () => {
  expect(bytesToHex(new Uint8Array([1, 0xab, 0]))).toBe('01 ab 00');
  expect(bytesToHex(new Uint8Array([1, 0xab]), false)).toBe('01ab');
});
