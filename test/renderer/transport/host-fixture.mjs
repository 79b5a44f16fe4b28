// A real Engine behind a real web host, for the renderer's transport tests. Plain JavaScript with
// a .d.mts beside it, so the renderer's type program (DOM only, no Node types) can use it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../electron/core/engine';
import { plainSecretBox } from '../../../electron/core/profiles/secret-box';
import { startWebHost } from '../../../electron/web/server';

export async function startHostFixture() {
  const dataDir = mkdtempSync(join(tmpdir(), 'topograph-transport-'));
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const engine = new Engine({ dataDir: join(dataDir, 'data'), host: 'web', version: '0.0.0-test', secretBox: plainSecretBox, flushMs: 20 });
  // `test.hang` never answers, so a test can drop the socket under a call in flight.
  const hostEngine = {
    onDidEmit: (listener) => engine.onDidEmit(listener),
    call: (method, params) => (method === 'test.hang' ? new Promise(() => {}) : engine.call(method, params)),
  };
  let host = await startWebHost({ engine: hostEngine, staticDir });
  const { port, token } = host;
  return {
    port,
    token,
    origin: `http://127.0.0.1:${port}`,
    stop: () => host.close(),
    async restart() {
      host = await startWebHost({ engine: hostEngine, staticDir, port, token });
    },
    async close() {
      await host.close();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
