import { describe, expect, it } from 'vitest';
import { makePreview, PREVIEW_CHARS } from '../../../electron/core/tree';

const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('makePreview', () => {
  it('shows short text whole and uncut', () => {
    expect(makePreview(utf8('{"t": 21.5}'))).toEqual({ text: '{"t": 21.5}', cut: false });
    expect(makePreview(new Uint8Array(0))).toEqual({ text: '', cut: false });
  });

  it('cuts long text and says so', () => {
    const preview = makePreview(utf8('x'.repeat(1000)));
    expect(preview).toEqual({ text: 'x'.repeat(PREVIEW_CHARS), cut: true });
  });

  it('keeps multi-byte characters whole when only the head of a payload is known', () => {
    const full = utf8('é'.repeat(300));
    // The store hands over the first bytes only, possibly ending inside a character.
    const head = full.subarray(0, 101);
    expect(makePreview(head, full.length)).toEqual({ text: 'é'.repeat(50), cut: true });
    expect(makePreview(utf8('😀'.repeat(200))).text).toBe('😀'.repeat(PREVIEW_CHARS / 2));
  });

  it('shows binary payloads as hex', () => {
    expect(makePreview(new Uint8Array([0, 1, 0xff]))).toEqual({ text: '00 01 ff', cut: false });
    const long = makePreview(new Uint8Array(100).fill(0x80));
    expect(long.cut).toBe(true);
    expect(long.text.startsWith('80 80')).toBe(true);
  });

  it('puts text on one line', () => {
    expect(makePreview(utf8('a\nb\r\n\tc')).text).toBe('a b c');
  });
});
