// The real entry point, as `npm run web` runs it: `node out/web/index.js` in its own process, with
// the flags a person types. It needs the build (scripts/test.mjs builds before the test projects).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTracked, stopProcess } from '../harness/processes';

const ENTRY = resolve('out/web/index.js');
const built = existsSync(ENTRY) && existsSync(resolve('out/renderer/index.html'));
const OPEN_LINE = /Open: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+)/;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout; rejects (with what was printed) if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: { child: ChildProcess; dataDir: string }[] = [];
afterEach(async () => {
  for (const { child, dataDir } of started.splice(0)) {
    await stopProcess(child, 5_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function runEntry(...flags: string[]): Running {
  const dataDir = mkdtempSync(join(tmpdir(), 'topograph-entry-'));
  const child = spawnTracked(process.execPath, [ENTRY, '--data-dir', dataDir, '--port', '0', ...flags]);
  started.push({ child, dataDir });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const waitFor = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((done, fail) => {
      const check = (): boolean => {
        const match = pattern.exec(out);
        if (match) done(match);
        return match !== null;
      };
      if (check()) return;
      const onData = (): void => {
        if (check()) child.stdout?.off('data', onData);
      };
      child.stdout?.on('data', onData);
      void exited.then(({ code, signal }) => {
        if (!check()) fail(new Error(`The web host exited (${signal ?? code}) before printing ${pattern}.\nstdout:\n${out}\nstderr:\n${err}`));
      });
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

describe.skipIf(!built)(built ? 'node out/web/index.js' : 'node out/web/index.js (skipped: out/web/index.js or out/renderer is missing; run `npm run build` first)', () => {
  it('prints the address with its token, serves the page there, and exits cleanly on SIGTERM', async () => {
    const host = runEntry();
    const [, url, port] = await host.waitFor(OPEN_LINE);
    expect(Number(port)).toBeGreaterThan(0);
    const [, rpcPort] = await host.waitFor(/API: +ws:\/\/127\.0\.0\.1:(\d+)\/rpc/);
    expect(rpcPort).toBe(port);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="app">/);
    expect(host.stderr()).not.toMatch(/Warning: listening on/);
    host.child.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(host.stdout()).toMatch(/SIGTERM: closing connections/);
  });

  it('warns that --host 0.0.0.0 opens it to the network', async () => {
    const host = runEntry('--host', '0.0.0.0');
    const [, url] = await host.waitFor(OPEN_LINE);
    expect(host.stderr() + host.stdout()).toMatch(/Warning: listening on 0\.0\.0\.0, so every machine that can reach this one/);
    expect((await fetch(url!)).status).toBe(200);
    host.child.kill('SIGTERM');
    expect((await host.exited).code).toBe(0);
  });

  it('with --demo, starts the built-in broker and says so', async () => {
    // The CLI has no flag for the built-in broker's port: it takes 1883, or a free one when 1883 is taken.
    const host = runEntry('--demo');
    const [, url] = await host.waitFor(OPEN_LINE);
    // The outcome line either way, so a failed demo step shows its sentence rather than a timeout.
    const [demoLine] = await host.waitFor(/^Demo(?::| mode could not) .*$/m);
    expect(demoLine).toMatch(/^Demo: built-in broker on 127\.0\.0\.1:\d+, demo devices publishing, profile "Local broker" connected\.$/);
    expect((await fetch(url!)).status).toBe(200);
    host.child.kill('SIGTERM');
    expect((await host.exited).code).toBe(0);
  });
});
