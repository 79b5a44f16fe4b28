import { describe, expect, it } from 'vitest';
import { MAX_INDENT_LEVELS, reindentJson } from '../../../electron/core/decode/json-format';

describe('reindentJson', () => {
  it('indents like JSON.stringify(value, null, 2) for ordinary documents', () => {
    const doc = { a: 1, b: [true, null, 'x'], c: { d: [], e: {}, f: [{ g: -1.5e-3 }] } };
    expect(reindentJson(JSON.stringify(doc))).toBe(JSON.stringify(doc, null, 2));
  });

  it('keeps every number exactly as written, including 64-bit integers', () => {
    expect(reindentJson('{"id":12345678901234567890,"n":-9007199254740993,"f":1.0,"e":1E+2}')).toBe(
      '{\n  "id": 12345678901234567890,\n  "n": -9007199254740993,\n  "f": 1.0,\n  "e": 1E+2\n}',
    );
  });

  it('copies strings verbatim: escapes, structural characters and escaped quotes inside', () => {
    const text = '["a,b:{c}[d]", "say \\"hi\\"", "\\\\", "\\u00e9\\n"]';
    expect(reindentJson(text)).toBe('[\n  "a,b:{c}[d]",\n  "say \\"hi\\"",\n  "\\\\",\n  "\\u00e9\\n"\n]');
  });

  it('throws away the original whitespace, even inside empty containers', () => {
    expect(reindentJson(' \r\n{ "a" :\t[ ] , "b" : { \n } }  ')).toBe('{\n  "a": [],\n  "b": {}\n}');
  });

  it('keeps duplicate keys, which JSON.parse would silently merge', () => {
    expect(reindentJson('{"a":1,"a":2}')).toBe('{\n  "a": 1,\n  "a": 2\n}');
  });

  it('prints a top-level scalar as it is', () => {
    expect(reindentJson(' 42 ')).toBe('42');
    expect(reindentJson('"text"')).toBe('"text"');
  });

  it('handles nesting far deeper than the call stack allows, with indentation capped', () => {
    const depth = 100_000;
    const out = reindentJson('['.repeat(depth) + ']'.repeat(depth));
    expect(out.startsWith('[\n  [\n    [')).toBe(true);
    const lines = out.split('\n');
    expect(lines).toHaveLength(2 * depth - 1);
    expect(lines.reduce((longest, line) => Math.max(longest, line.length), 0)).toBe(2 * MAX_INDENT_LEVELS + 2); // the innermost "[]"
  });

  it('returns the document as received when its indented form would be too big', () => {
    const text = `[${'1,'.repeat(999)}1]`;
    expect(reindentJson(text, 1000)).toBe(text);
    expect(reindentJson(text, 10_000)).toContain('\n  1,\n');
  });
});
