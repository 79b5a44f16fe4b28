import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The folder import table of DESIGN.md is enforced by eslint.config.js; these probes prove the rule bites.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

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

  it('allows what the table allows', async () => {
    const core = "import fs from 'node:fs';\nimport mqtt from 'mqtt';\nimport { ok } from '../common/result';\nexport const a = [fs, mqtt, ok];\n";
    expect(await restrictedImports('electron/core/probe.ts', core)).toEqual([]);
    const main = "import { app } from 'electron';\nimport { Engine } from '../core/engine';\nexport const a = [app, Engine];\n";
    expect(await restrictedImports('electron/main/probe.ts', main)).toEqual([]);
  });
});
