/**
 * The generated part of docs/API.md: every method of the contract with its summary, parameter
 * shape (from the zod schema), an example and the result type. test/web/api-docs.test.ts keeps
 * the file in step (and rewrites it with UPDATE_API_DOCS=1).
 */
import { METHOD_NAMES, apiMethods, type MethodName } from '../../common/api';
import { toWire } from '../../common/wire';
import { METHOD_DOCS } from './method-docs';
import { schemaText } from './schema-text';

export const REFERENCE_START = '<!-- methods:start (generated from electron/web/api-docs; do not edit by hand) -->';
export const REFERENCE_END = '<!-- methods:end -->';

const GROUPS: { title: string; prefixes: string[] }[] = [
  { title: 'App and settings', prefixes: ['app', 'settings'] },
  { title: 'Profiles', prefixes: ['profiles'] },
  { title: 'Connections, subscriptions, protocol log', prefixes: ['connection', 'subscription', 'log'] },
  { title: 'Topic tree and retained messages', prefixes: ['tree', 'retained'] },
  { title: 'Stored messages', prefixes: ['messages'] },
  { title: 'Publishing and saved messages', prefixes: ['publish', 'saved'] },
  { title: 'Built-in broker and demo', prefixes: ['broker', 'demo'] },
];

const prefixOf = (method: MethodName): string => method.slice(0, method.indexOf('.'));

/** A JSON example on as few lines as read well. */
function exampleJson(value: unknown): string {
  const compact = toWire(value);
  return compact.length <= 100 ? compact : JSON.stringify(JSON.parse(compact), null, 2);
}

function methodSection(method: MethodName): string {
  const doc = METHOD_DOCS[method];
  const params = schemaText(apiMethods[method].params);
  const lines = [`#### \`${method}\``, '', doc.summary, ''];
  if (params === '{}') {
    lines.push('Params: none (send `{}`).', '');
  } else {
    lines.push('Params:', '', '```ts', params, '```', '', 'Example:', '', '```json', exampleJson(doc.example), '```', '');
  }
  lines.push(`Returns: \`${doc.returns}\``, '');
  return lines.join('\n');
}

export function renderMethodReference(): string {
  const placed = new Set<MethodName>();
  const parts: string[] = [REFERENCE_START, ''];
  for (const group of GROUPS) {
    const methods = METHOD_NAMES.filter((m) => group.prefixes.includes(prefixOf(m)));
    if (methods.length === 0) continue;
    parts.push(`### ${group.title}`, '');
    for (const method of methods) {
      placed.add(method);
      parts.push(methodSection(method));
    }
  }
  const rest = METHOD_NAMES.filter((m) => !placed.has(m));
  if (rest.length > 0) {
    parts.push('### Other methods', '');
    for (const method of rest) parts.push(methodSection(method));
  }
  parts.push(REFERENCE_END);
  return parts.join('\n');
}

