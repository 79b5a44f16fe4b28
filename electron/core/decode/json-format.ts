/**
 * Pretty-prints JSON by re-indenting its text instead of JSON.parse + stringify, so every token
 * keeps its exact spelling: 12345678901234567890 stays those digits (a double would round it to
 * 12345678901234567000), 1.0 stays 1.0, "\u00e9" keeps its escape and duplicate keys both show.
 * Iterative, so deeply nested documents cannot overflow the stack, and bounded: indentation
 * stops growing at MAX_INDENT_LEVELS (indenting is quadratic in the depth) and a document whose
 * indented form would pass MAX_OUTPUT_CHARS is returned as received, which is still exact JSON.
 */

export const MAX_INDENT_LEVELS = 40;
export const MAX_OUTPUT_CHARS = 32 * 1024 * 1024;

const NEWLINES: string[] = Array.from({ length: MAX_INDENT_LEVELS + 1 }, (_, depth) => `\n${'  '.repeat(depth)}`);
function newline(depth: number): string {
  return NEWLINES[Math.min(depth, MAX_INDENT_LEVELS)] as string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function nextNonWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** Offset after the string that opens at `start` (its quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let k = quote - 1; k > start && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/**
 * Two-space indented JSON; `text` must already be valid JSON (see jsonProblem). Tokens are
 * copied as slices of the original; only the whitespace between them is replaced.
 */
export function reindentJson(text: string, maxOutputChars = MAX_OUTPUT_CHARS): string {
  // One growing string: V8 keeps it as a rope, which measured far faster than an array join.
  let out = '';
  let depth = 0;
  const n = text.length;
  let i = nextNonWhitespace(text, 0);
  const emit = (piece: string): void => {
    out += piece;
  };
  while (i < n) {
    if (out.length > maxOutputChars) return text;
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = stringEnd(text, i);
      emit(text.slice(i, end));
      i = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      const after = nextNonWhitespace(text, i + 1);
      if (text.charCodeAt(after) === (code === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        emit(code === OPEN_BRACE ? '{}' : '[]');
        i = after + 1;
      } else {
        depth++;
        emit(code === OPEN_BRACE ? '{' : '[');
        emit(newline(depth));
        i = after;
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      emit(newline(depth));
      emit(code === CLOSE_BRACE ? '}' : ']');
      i++;
    } else if (code === COMMA) {
      emit(',');
      emit(newline(depth));
      i = nextNonWhitespace(text, i + 1);
    } else if (code === COLON) {
      emit(': ');
      i = nextNonWhitespace(text, i + 1);
    } else if (isWhitespace(code)) {
      i++;
    } else {
      // A number or literal: copied as written, up to the next structural character.
      let end = i + 1;
      for (; end < n; end++) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COLON || isWhitespace(c)) break;
      }
      emit(text.slice(i, end));
      i = end;
    }
  }
  return out;
}
