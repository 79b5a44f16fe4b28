/**
 * Writes a zod schema as a compact TypeScript-like text for docs/API.md, so the documented
 * parameter shapes come from the same schemas the web host validates with.
 *
 * Notation: `string[1..100]` a string of 1 to 100 characters, `int[0..]` an integer ≥ 0,
 * `Array<T>[..1000]` at most 1000 items, `name?:` optional, `= value` the default when left out.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const shapeOf = (schema: z.ZodType): Record<string, z.ZodType> =>
  (schema as unknown as { shape: Record<string, z.ZodType> }).shape;

function range(def: Def): { min?: number; max?: number; int: boolean } {
  const out: { min?: number; max?: number; int: boolean } = { int: false };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length' || (c.check === 'greater_than' && c.inclusive)) out.min = (c.minimum ?? c.value) as number;
    if (c.check === 'greater_than' && !c.inclusive) out.min = (c.value as number) + Number.EPSILON;
    if (c.check === 'max_length' || (c.check === 'less_than' && c.inclusive)) out.max = (c.maximum ?? c.value) as number;
    if (c.check === 'number_format' && typeof c.format === 'string' && c.format.includes('int')) out.int = true;
  }
  return out;
}

const bounds = (r: { min?: number; max?: number }, skipMaxAbove = Infinity): string => {
  const max = r.max !== undefined && r.max < skipMaxAbove ? r.max : undefined;
  if (r.min === undefined && max === undefined) return '';
  return `[${r.min ?? ''}..${max ?? ''}]`;
};

const literal = (value: unknown): string => JSON.stringify(value);
const pad = (depth: number): string => '  '.repeat(depth);

/** Peels optional/default/nullable wrappers to know how a field reads. */
function field(schema: z.ZodType): { core: z.ZodType; optional: boolean; fallback?: unknown; nullable: boolean } {
  let core = schema;
  let optional = false;
  let nullable = false;
  let fallback: unknown;
  let hasFallback = false;
  for (;;) {
    const def = defOf(core);
    if (def.type === 'optional' && def.innerType) {
      optional = true;
      core = def.innerType;
    } else if ((def.type === 'default' || def.type === 'prefault') && def.innerType) {
      optional = true;
      if (!hasFallback) {
        fallback = def.defaultValue;
        hasFallback = true;
      }
      core = def.innerType;
    } else if (def.type === 'nullable' && def.innerType) {
      nullable = true;
      core = def.innerType;
    } else break;
  }
  return hasFallback ? { core, optional, fallback, nullable } : { core, optional, nullable };
}

export function schemaText(schema: z.ZodType, depth = 0): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return `string${bounds(range(def))}`;
    case 'number': {
      const r = range(def);
      // An int's safe-integer bounds say nothing a reader needs.
      return `${r.int ? 'int' : 'number'}${bounds(r, Number.MAX_SAFE_INTEGER)}`;
    }
    case 'boolean':
      return 'boolean';
    case 'literal':
      return (def.values ?? []).map(literal).join(' | ');
    case 'enum':
      return Object.values(def.entries ?? {}).map(literal).join(' | ');
    case 'custom':
      // The contract's only custom schema is `bytes` (z.instanceof(Uint8Array)).
      return 'bytes';
    case 'lazy':
      // z.json(): any JSON value.
      return 'JSON';
    case 'array':
      return `Array<${schemaText(def.element as z.ZodType, depth)}>${bounds(range(def))}`;
    case 'record': {
      const key = schemaText(def.keyType as z.ZodType, depth);
      return `{ [key in ${key}]?: ${schemaText(def.valueType as z.ZodType, depth)} }`;
    }
    case 'union':
      return (def.options ?? []).map((option) => schemaText(option, depth)).join(' | ');
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable': {
      const f = field(schema);
      return schemaText(f.core, depth) + (f.nullable ? ' | null' : '');
    }
    case 'object':
      return objectText(schema, depth);
    default:
      return def.type;
  }
}

function objectText(schema: z.ZodType, depth: number): string {
  const entries = Object.entries(shapeOf(schema));
  if (entries.length === 0) return '{}';
  const lines = entries.map(([name, member]) => {
    const f = field(member);
    const type = schemaText(f.core, depth + 1) + (f.nullable ? ' | null' : '');
    const value: unknown = typeof f.fallback === 'function' ? (f.fallback as () => unknown)() : f.fallback;
    // An object's default is spelled out by its own fields' defaults.
    const shown = value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)) ? '' : ` = ${JSON.stringify(value)}`;
    return `${pad(depth + 1)}${name}${f.optional ? '?' : ''}: ${type}${shown}`;
  });
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}
