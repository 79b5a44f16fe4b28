/**
 * JSON paths for chart series: `$.temperature`, `temperature.value`, `$.sensors[0].t`,
 * `$['odd key']`. An empty path (or `$`) means the payload itself is the number.
 */
export type PathSegment = string | number;

export function parsePath(input: string): PathSegment[] | { error: string } {
  let rest = input.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const segments: PathSegment[] = [];
  let first = true;
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\[\s*(\d+)\s*\]/.exec(rest))) segments.push(Number(m[1]));
    else if ((m = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest)) || (m = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) {
      segments.push((m[1] ?? '').replace(/\\(.)/g, '$1'));
    } else if ((m = /^\.([^.[\]]+)/.exec(rest)) || (first && (m = /^([^.[\]]+)/.exec(rest)))) {
      const name = m[1] ?? '';
      segments.push(/^\d+$/.test(name) ? Number(name) : name);
    } else {
      return { error: `The path "${input}" is not understood near "${rest.slice(0, 12)}". Write it like $.temperature, sensors[0].value or $['a key'].` };
    }
    rest = rest.slice(m[0].length);
    first = false;
  }
  return segments;
}

/** The canonical text of a path (what a click in the JSON view produces). */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += `.${segment}`;
    else out += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : Number.NaN;
      current = Number.isInteger(index) ? current[index] : undefined;
    } else current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

/** Numbers chart as themselves; numeric strings and booleans (0/1) too. */
export function numericValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The chart value of a payload's text at `segments`, or null when there is none. */
export function pointFromText(text: string, segments: readonly PathSegment[]): number | null {
  if (segments.length === 0) {
    const direct = numericValue(text);
    if (direct !== null) return direct;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return numericValue(valueAt(parsed, segments));
}
