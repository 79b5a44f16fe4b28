// A real Engine in a temp data dir behind a real web host, and a small JSON-RPC client over `ws`.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { startWebHost, type WebHost, type WebHostEngine, type WebHostOptions } from '../../electron/web/server';
import { fromWire, toWire } from '../../electron/common/wire';

export const INDEX_HTML = '<!doctype html><html><head><title>Topograph test page</title></head><body><div id="app"></div></body></html>';

export interface TestHost {
  engine: Engine;
  host: WebHost;
  dataDir: string;
  staticDir: string;
  /** ws://127.0.0.1:PORT/rpc */
  rpcUrl: string;
  close(): Promise<void>;
}

export function makeStaticDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topograph-static-'));
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("hello");\n');
  writeFileSync(join(dir, 'assets', 'style.css'), 'body { color: black; }\n');
  writeFileSync(join(dir, 'assets', 'editor.worker.mjs'), 'self.onmessage = () => {};\n');
  writeFileSync(join(dir, 'assets', 'codicon.ttf'), Buffer.from([0, 1, 0, 0]));
  return dir;
}

export async function startTestHost(
  options: Partial<Omit<WebHostOptions, 'engine' | 'staticDir'>> & { wrap?: (engine: Engine) => WebHostEngine } = {},
): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'topograph-web-'));
  const staticDir = makeStaticDir();
  const engine = new Engine({ dataDir, host: 'web', version: '0.0.0-test', secretBox: plainSecretBox, flushMs: 20 });
  const { wrap, ...hostOptions } = options;
  const host = await startWebHost({ ...hostOptions, engine: wrap ? wrap(engine) : engine, staticDir });
  return {
    engine,
    host,
    dataDir,
    staticDir,
    rpcUrl: `ws://127.0.0.1:${host.port}/rpc`,
    async close() {
      await host.close();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}

export interface RpcClient {
  ws: WebSocket;
  /** Sends a raw text message and resolves with the next reply that is not an event notification. */
  raw(text: string): Promise<unknown>;
  request(method: unknown, params?: unknown): Promise<Record<string, unknown>>;
  notifications: unknown[];
  close(): Promise<void>;
}

/** Opens a socket; rejects with `HTTP <status>` when the upgrade is refused. */
export function openSocket(
  url: string,
  options: { protocols?: string[]; origin?: string } = {},
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], options.origin ? { origin: options.origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

export async function connectClient(url: string, options: { protocols?: string[]; origin?: string } = {}): Promise<RpcClient> {
  const ws = await openSocket(url, options);
  const notifications: unknown[] = [];
  const waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  ws.on('message', (data) => {
    const message = fromWire(String(data));
    if (typeof message === 'object' && message !== null && !Array.isArray(message) && (message as { method?: unknown }).method === 'events') {
      notifications.push(message);
      return;
    }
    waiting.shift()?.resolve(message);
  });
  ws.on('close', () => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('socket closed'));
  });
  let nextId = 1;
  // Replies come in completion order; the helpers below send one request at a time.
  const raw = (text: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      ws.send(text);
    });
  return {
    ws,
    notifications,
    raw,
    request: async (method, params) => (await raw(toWire({ jsonrpc: '2.0', id: nextId++, method, params }))) as Record<string, unknown>,
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
