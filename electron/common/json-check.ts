/**
 * A JSON syntax checker that says where the first mistake is (line and column, as an editor
 * counts them). JSON.parse's messages differ between engines and rarely carry a line, and a
 * person fixing a payload needs the place. Iterative, so deeply nested input cannot overflow.
 */

export interface JsonProblem {
  /** What is wrong, lower case, without a full stop: "expected ',' or '}' after a property value". */
  reason: string;
  /** UTF-16 offset into the text. */
  offset: number;
  /** 1-based line and column (UTF-16 code units, as Monaco counts). */
  line: number;
  column: number;
}

const ARRAY = 0;
const OBJECT = 1;

class Stop {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'the end of the text';
  const code = text.charCodeAt(at);
  if (code < 0x20) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  const ch = String.fromCodePoint(text.codePointAt(at) ?? code);
  return `'${ch}'`;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Scans one string starting at the opening quote; returns the offset after the closing quote. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new Stop('the text ends inside a string (a closing " is missing)', start);
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) throw new Stop(`${describeChar(text, i)} is not allowed inside a string; write it as an escape such as \\n`, i);
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop('\\u must be followed by four hex digits', i);
        i += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) throw new Stop(`\\${next ?? ''} is not a valid escape in a string`, i);
      i += 2;
      continue;
    }
    i++;
  }
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) {
    i++;
    if (isDigit(text.charCodeAt(i))) throw new Stop('numbers cannot have leading zeros', i);
  } else if (isDigit(text.charCodeAt(i))) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else {
    throw new Stop(`expected a digit after '-' but found ${describeChar(text, i)}`, i);
  }
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) throw new Stop(`expected a digit after the decimal point but found ${describeChar(text, i)}`, i);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) throw new Stop(`expected a digit in the exponent but found ${describeChar(text, i)}`, i);
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

const LITERALS = ['true', 'false', 'null'] as const;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error of `text` as JSON (RFC 8259), or undefined when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | undefined {
  try {
    check(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { reason: error.reason, offset: error.offset, ...lineAndColumn(text, error.offset) };
  }
}

function check(text: string): void {
  const stack: number[] = [];
  const n = text.length;
  let i = 0;
  const skip = (): void => {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
  };
  /** Reads `"key" :` inside an object; leaves i at the value. */
  const key = (): void => {
    skip();
    if (text.charCodeAt(i) !== 0x22) {
      const found = describeChar(text, i);
      throw new Stop(
        text[i] === '}' ? "a comma cannot come before '}' (trailing comma)" : `expected a property name in double quotes but found ${found}`,
        i,
      );
    }
    i = scanString(text, i);
    skip();
    if (text[i] !== ':') throw new Stop(`expected ':' after the property name but found ${describeChar(text, i)}`, i);
    i++;
  };

  skip();
  if (i >= n) throw new Stop('the text is empty; a JSON payload needs a value such as {} or "text"', 0);
  for (;;) {
    // Expecting a value.
    skip();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      i++;
      skip();
      const close = ch === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
      } else {
        stack.push(ch === '{' ? OBJECT : ARRAY);
        if (ch === '{') key();
        continue;
      }
    } else if (ch === '"') {
      i = scanString(text, i);
    } else if (ch === '-' || isDigit(text.charCodeAt(i))) {
      i = scanNumber(text, i);
    } else {
      const literal = LITERALS.find((word) => text.startsWith(word, i));
      if (literal === undefined) {
        if (ch === ']' && stack.at(-1) === ARRAY) throw new Stop("a comma cannot come before ']' (trailing comma)", i);
        if (ch === "'") throw new Stop("strings must use double quotes (\"), not single quotes (')", i);
        throw new Stop(`expected a value but found ${describeChar(text, i)}`, i);
      }
      i += literal.length;
    }
    // A value is complete: close containers until one continues with a comma.
    for (;;) {
      skip();
      const top = stack.at(-1);
      if (top === undefined) {
        if (i < n) throw new Stop(`unexpected ${describeChar(text, i)} after the end of the JSON value`, i);
        return;
      }
      const next = text[i];
      const close = top === OBJECT ? '}' : ']';
      if (next === ',') {
        i++;
        if (top === OBJECT) key();
        break;
      }
      if (next === close) {
        i++;
        stack.pop();
        continue;
      }
      const after = top === OBJECT ? 'a property value' : 'an array element';
      throw new Stop(`expected ',' or '${close}' after ${after} but found ${describeChar(text, i)}`, i);
    }
  }
}
