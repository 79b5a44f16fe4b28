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
    for (let k = quote - 1; k > start && text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Two-space indented JSON; `text` must already be valid JSON (see jsonProblem). */
export function reindentJson(text: string, maxOutputChars = MAX_OUTPUT_CHARS): string {
  let out = '';
  let depth = 0;
  let i = nextNonWhitespace(text, 0);
  const n = text.length;
  while (i < n) {
    if (out.length > maxOutputChars) return text;
    const ch = text[i] as string;
    switch (ch) {
      case '"': {
        const end = stringEnd(text, i);
        out += text.slice(i, end);
        i = end;
        break;
      }
      case '{':
      case '[': {
        const after = nextNonWhitespace(text, i + 1);
        if (text[after] === (ch === '{' ? '}' : ']')) {
          out += ch === '{' ? '{}' : '[]';
          i = after + 1;
        } else {
          depth++;
          out += ch + newline(depth);
          i = after;
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        out += newline(depth) + ch;
        i++;
        break;
      case ',':
        out += `,${newline(depth)}`;
        i++;
        break;
      case ':':
        out += ': ';
        i++;
        break;
      default: {
        if (isWhitespace(text.charCodeAt(i))) {
          i++;
          break;
        }
        // A number or literal: copied as written, up to the next structural character.
        let end = i + 1;
        while (end < n && !isWhitespace(text.charCodeAt(end)) && !',:]}'.includes(text[end] as string)) end++;
        out += text.slice(i, end);
        i = end;
      }
    }
  }
  return out;
}
