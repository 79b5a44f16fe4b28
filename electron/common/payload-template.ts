/**
 * Placeholders a repeated publish expands per send, in the topic and the payload:
 * {{counter}} (1 for the first send), {{timestamp}} (epoch milliseconds), {{uuid}},
 * {{random(min,max)}} (an integer between min and max inclusive; decimals when either has them).
 */

export interface TemplateContext {
  /** 1-based number of this send. */
  counter: number;
  /** Epoch milliseconds of this send. */
  now: number;
  uuid(): string;
  /** A number in [0, 1). */
  random(): number;
}

export function templateContext(counter: number, now = Date.now()): TemplateContext {
  return { counter, now, uuid: () => crypto.randomUUID(), random: Math.random };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*\}\}/g;
const NUMBER = /^\s*(-?\d+(?:\.\d+)?)\s*$/;

export const PLACEHOLDER_NAMES = ['counter', 'timestamp', 'uuid', 'random(min,max)'] as const;

export function hasPlaceholders(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

interface RandomRange {
  min: number;
  max: number;
  decimals: number;
}

function randomRange(args: string): RandomRange | string {
  const parts = args.split(',');
  const min = NUMBER.exec(parts[0] ?? '')?.[1];
  const max = NUMBER.exec(parts[1] ?? '')?.[1];
  if (parts.length !== 2 || min === undefined || max === undefined) {
    return `{{random(${args})}} needs two numbers, as in {{random(1,100)}}.`;
  }
  const low = Number(min);
  const high = Number(max);
  if (low > high) return `{{random(${args})}} has its minimum above its maximum; write the smaller number first.`;
  const decimals = Math.max((min.split('.')[1] ?? '').length, (max.split('.')[1] ?? '').length);
  return { min: low, max: high, decimals };
}

function placeholderProblem(name: string, args: string | undefined): string | undefined {
  if (name === 'random') {
    if (args === undefined) return '{{random}} needs a range, as in {{random(1,100)}}.';
    const range = randomRange(args);
    return typeof range === 'string' ? range : undefined;
  }
  if ((name === 'counter' || name === 'timestamp' || name === 'uuid') && args === undefined) return undefined;
  return `{{${name}${args === undefined ? '' : `(${args})`}}} is not a placeholder Topograph knows; use {{counter}}, {{timestamp}}, {{uuid}} or {{random(min,max)}}.`;
}

/** A sentence for the first placeholder that cannot be expanded, or undefined. */
export function templateProblem(text: string): string | undefined {
  for (const match of text.matchAll(PLACEHOLDER)) {
    const problem = placeholderProblem(match[1] as string, match[2]);
    if (problem) return problem;
  }
  return undefined;
}

function randomValue(range: RandomRange, random: () => number): string {
  if (range.decimals === 0) return String(range.min + Math.floor(random() * (range.max - range.min + 1)));
  const value = range.min + random() * (range.max - range.min);
  return value.toFixed(range.decimals);
}

/** Replaces every placeholder; text without placeholders comes back unchanged. */
export function expandTemplate(text: string, ctx: TemplateContext): { ok: true; text: string } | { ok: false; problem: string } {
  const problem = templateProblem(text);
  if (problem) return { ok: false, problem };
  const out = text.replace(PLACEHOLDER, (_whole, name: string, args: string | undefined) => {
    switch (name) {
      case 'counter':
        return String(ctx.counter);
      case 'timestamp':
        return String(ctx.now);
      case 'uuid':
        return ctx.uuid();
      default:
        return randomValue(randomRange(args ?? '') as RandomRange, ctx.random);
    }
  });
  return { ok: true, text: out };
}
