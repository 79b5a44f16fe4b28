import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The folder import table of DESIGN.md is enforced by eslint.config.js; these probes prove the rule bites.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// A dynamic import or a require is not an import declaration: no-restricted-syntax catches those.
async function restrictedSyntax(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const outsideRenderer = ['electron/main', 'electron/core', 'electron/common', 'electron/web', 'electron/preload'];

describe('folder import rules', () => {
  it('refuses electron in electron/core', async () => {
    const problems = await restrictedImports('electron/core/probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(problems).toHaveLength(1);
  });

  it('refuses Node built-ins and engine libraries in electron/common', async () => {
    const code = "import fs from 'node:fs';\nimport mqtt from 'mqtt';\nexport const a = [fs, mqtt];\n";
    expect(await restrictedImports('electron/common/probe.ts', code)).toHaveLength(2);
  });

  it('refuses mqtt, Node built-ins and electron in the renderer', async () => {
    const code = "import mqtt from 'mqtt';\nimport path from 'path';\nimport { ipcRenderer } from 'electron';\nexport const a = [mqtt, path, ipcRenderer];\n";
    expect(await restrictedImports('renderer/src/probe.ts', code)).toHaveLength(3);
  });

  it('refuses engine code in the preload', async () => {
    const code = "import { Engine } from '../core/engine';\nexport const a = Engine;\n";
    expect(await restrictedImports('electron/preload/probe.ts', code)).toHaveLength(1);
  });

  it.each(outsideRenderer)('refuses the @renderer alias in %s', async (folder) => {
    const code = "import { useTreeStore } from '@renderer/stores/tree';\nexport const a = useTreeStore;\n";
    expect(await restrictedImports(`${folder}/probe.ts`, code)).toHaveLength(1);
    const nested = "import { useTreeStore } from '@renderer';\nexport const a = useTreeStore;\n";
    expect(await restrictedImports(`${folder}/deeper/probe.ts`, nested)).toHaveLength(1);
  });

  it('refuses the web host in electron/core', async () => {
    const code = "import { startServer } from '../web/server';\nexport const a = startServer;\n";
    expect(await restrictedImports('electron/core/probe.ts', code)).toHaveLength(1);
    const nested = "import { startServer } from '../../web/server';\nexport const a = startServer;\n";
    expect(await restrictedImports('electron/core/tree/probe.ts', nested)).toHaveLength(1);
  });

  it('refuses vue and pinia in electron/common', async () => {
    const code = "import { ref } from 'vue';\nimport { defineStore } from 'pinia';\nexport const a = [ref, defineStore];\n";
    expect(await restrictedImports('electron/common/probe.ts', code)).toHaveLength(2);
  });

  it.each(['electron/core', 'electron/web'])('refuses electron loaded by require or import() in %s', async (folder) => {
    const code = [
      "import { createRequire } from 'node:module';",
      "export const a = createRequire(import.meta.url)('electron');",
      "export const b = require('electron');",
      "export const c = import('electron');",
      "export const d = import('electron/main');",
      'const load = createRequire(import.meta.url);',
      "export const e = load('electron');",
      '',
    ].join('\n');
    expect(await restrictedSyntax(`${folder}/probe.ts`, code)).toHaveLength(5);
  });

  it('allows what the table allows', async () => {
    const core = "import fs from 'node:fs';\nimport mqtt from 'mqtt';\nimport { ok } from '../common/result';\nexport const a = [fs, mqtt, ok];\n";
    expect(await restrictedImports('electron/core/probe.ts', core)).toEqual([]);
    const main = "import { app } from 'electron';\nimport { Engine } from '../core/engine';\nexport const a = [app, Engine];\n";
    expect(await restrictedImports('electron/main/probe.ts', main)).toEqual([]);
    const web = "import { Engine } from '../core/engine';\nimport { ok } from '../common/result';\nexport const a = [Engine, ok];\n";
    expect(await restrictedImports('electron/web/probe.ts', web)).toEqual([]);
    const renderer = "import { useTreeStore } from '@renderer/stores/tree';\nimport { ok } from '@common/result';\nexport const a = [useTreeStore, ok];\n";
    expect(await restrictedImports('renderer/src/probe.ts', renderer)).toEqual([]);
    const lazy = "export const a = import('./engine');\nexport const b = import('electron-log');\nexport const c = String('electronic');\n";
    expect(await restrictedSyntax('electron/core/probe.ts', lazy)).toEqual([]);
    const main2 = "export const a = import('electron');\n";
    expect(await restrictedSyntax('electron/main/probe.ts', main2)).toEqual([]);
  });
});
