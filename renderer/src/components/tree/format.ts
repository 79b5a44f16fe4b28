/** Small number formats for dense UI (badges, sizes). */

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en');

/** 950, 1.2K, 3.4M: short enough for a badge; the exact number goes in the title. */
export const compactCount = (n: number): string => (n < 1000 ? String(n) : compact.format(n));
export const fullCount = (n: number): string => full.format(n);

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Half-open [start, end) ranges of `text` that `query` matches, for highlighting search hits. */
export function matchRanges(text: string, query: string, mode: 'substring' | 'wildcard' | 'regex', caseSensitive = false): [number, number][] {
  if (query === '' || text === '') return [];
  if (mode === 'wildcard') return [];
  const ranges: [number, number][] = [];
  if (mode === 'substring') {
    const hay = caseSensitive ? text : text.toLowerCase();
    const needle = caseSensitive ? query : query.toLowerCase();
    let at = hay.indexOf(needle);
    while (at >= 0 && ranges.length < 50) {
      ranges.push([at, at + needle.length]);
      at = hay.indexOf(needle, at + needle.length);
    }
    return ranges;
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(query, caseSensitive ? 'g' : 'gi');
  } catch {
    return [];
  }
  for (const match of text.matchAll(pattern)) {
    if (match[0].length === 0) continue;
    const start = match.index ?? 0;
    ranges.push([start, start + match[0].length]);
    if (ranges.length >= 50) break;
  }
  return ranges;
}

/** Splits text into plain and highlighted pieces for a template (no HTML strings involved). */
export function splitByRanges(text: string, ranges: readonly [number, number][]): { text: string; hit: boolean }[] {
  if (ranges.length === 0) return [{ text, hit: false }];
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push({ text: text.slice(at, start), hit: false });
    parts.push({ text: text.slice(Math.max(start, at), end), hit: true });
    at = Math.max(at, end);
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
