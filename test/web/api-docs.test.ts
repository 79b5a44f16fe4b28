// docs/API.md stays in step with the contract. To regenerate its method reference after changing
// api.ts or electron/web/api-docs: UPDATE_API_DOCS=1 npx vitest run --project unit test/web/api-docs.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, apiMethods } from '../../electron/common/api';
import { fromWire, toWire } from '../../electron/common/wire';
import { METHOD_DOCS } from '../../electron/web/api-docs/method-docs';
import { REFERENCE_END, REFERENCE_START, renderMethodReference } from '../../electron/web/api-docs/reference';

const docPath = fileURLToPath(new URL('../../docs/API.md', import.meta.url));
const REGENERATE = 'UPDATE_API_DOCS=1 npx vitest run --project unit test/web/api-docs.test.ts';

function generatedSection(text: string): { start: number; end: number } {
  const start = text.indexOf(REFERENCE_START);
  const end = text.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`docs/API.md lost its method markers (${REFERENCE_START} ... ${REFERENCE_END}).`);
  return { start, end: end + REFERENCE_END.length };
}

if (process.env.UPDATE_API_DOCS === '1') {
  const text = readFileSync(docPath, 'utf8');
  const { start, end } = generatedSection(text);
  writeFileSync(docPath, text.slice(0, start) + renderMethodReference() + text.slice(end));
}

describe('docs/API.md', () => {
  const text = readFileSync(docPath, 'utf8');

  it('documents every method of the contract', () => {
    const missing = METHOD_NAMES.filter((method) => !text.includes(`#### \`${method}\``));
    expect(missing, `Methods missing from docs/API.md; add them to electron/web/api-docs/method-docs.ts and run ${REGENERATE}`).toEqual([]);
  });

  it('documents no method the contract does not have', () => {
    const documented = [...text.matchAll(/^#### `([^`]+)`$/gm)].map((match) => match[1]);
    expect(documented.filter((name) => !METHOD_NAMES.includes(name as never))).toEqual([]);
  });

  it('has the method reference generated from the current schemas', () => {
    const { start, end } = generatedSection(text);
    expect(text.slice(start, end), `docs/API.md is out of date: run ${REGENERATE}`).toBe(renderMethodReference());
  });

  it('gives examples that the host accepts', () => {
    for (const method of METHOD_NAMES) {
      // The example as a script would send it: through the wire encoding.
      const sent = fromWire(toWire(METHOD_DOCS[method].example));
      const parsed = apiMethods[method].params.safeParse(sent);
      expect(parsed.success, `${method}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  });

  it('has a Node example that is valid JavaScript and uses only documented methods', () => {
    const match = /```js\n(\/\/ watch-tree\.mjs[\s\S]*?)```/.exec(text);
    expect(match).not.toBeNull();
    const code = match?.[1] ?? '';
    for (const [, method] of code.matchAll(/call\('([^']+)'/g)) expect(METHOD_NAMES).toContain(method);
    const dir = mkdtempSync(join(tmpdir(), 'topograph-doc-'));
    try {
      const file = join(dir, 'watch-tree.mjs');
      writeFileSync(file, code);
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
