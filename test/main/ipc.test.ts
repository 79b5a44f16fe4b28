import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, WebContents, electronMock, ipcMain } from '../mocks/electron';
import { METHOD_NAMES, ipcChannel } from '../../electron/common/api';
import type { Result } from '../../electron/common/result';
import { Engine } from '../../electron/core/engine';
import { createIpcHandler, registerIpc } from '../../electron/main/ipc';
import { SafeStorageSecretBox } from '../../electron/main/secret-box';

vi.mock('electron', () => import('../mocks/electron'));

const TRUSTED = ['app://topograph/'];
let dir: string;
let engine: Engine;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topograph-ipc-'));
  engine = new Engine({ dataDir: dir, host: 'desktop', version: '9.9.9', secretBox: new SafeStorageSecretBox() });
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  electronMock.reset();
  registerIpc(engine, TRUSTED);
});

const ourWindow = (): BrowserWindow => {
  const window = new BrowserWindow({});
  void window.loadURL('app://topograph/index.html');
  return window;
};
const ask = (frame: Parameters<typeof ipcMain.invokeFrom>[0], params: unknown = {}) =>
  ipcMain.invokeFrom(frame, ipcChannel('app.info'), params) as Promise<Result<{ host: string; version: string }>>;

describe('IPC registration', () => {
  it('registers every contract method exactly once', () => {
    const channels = electronMock.state.calls.ipcHandle;
    expect(new Set(channels).size).toBe(channels.length);
    expect([...channels].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
  });

  it('can be removed and registered again', () => {
    electronMock.reset();
    const unregister = registerIpc(engine, TRUSTED);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    expect(() => registerIpc(engine, TRUSTED)).not.toThrow();
  });
});

describe('IPC sender validation', () => {
  it('answers the main frame of our window showing our page', async () => {
    const answer = await ask(ourWindow().webContents.mainFrame);
    expect(answer).toMatchObject({ ok: true, value: { host: 'desktop', version: '9.9.9' } });
  });

  it('refuses a subframe of our window, even one showing app://', async () => {
    const frame = ourWindow().webContents.subFrame('app://topograph/index.html');
    expect(await ask(frame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses our window once it shows another page', async () => {
    const window = ourWindow();
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(await ask(window.webContents.mainFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses web contents that are not one of our windows', async () => {
    const stray = new WebContents('app://topograph/index.html');
    expect(await ask(stray.mainFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a frame that is gone and a window that was closed', async () => {
    expect(await ask(null)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const window = ourWindow();
    window.close();
    expect(await ask(window.webContents.mainFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a look-alike origin', async () => {
    const window = ourWindow();
    for (const url of ['app://topograph.evil/index.html', 'app://topographx/', 'file:///app/topograph/index.html']) {
      window.webContents.mainFrame.url = url;
      expect(await ask(window.webContents.mainFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('does not reach the engine for a refused sender', async () => {
    const spy = vi.spyOn(engine, 'call');
    try {
      await ask(null);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('says what happened in a sentence', async () => {
    const answer = await ask(null);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/refused\..*Restart Topograph/);
  });
});

describe('IPC never throws', () => {
  it('turns an engine that throws into a failed Result', async () => {
    const window = ourWindow();
    const handler = createIpcHandler({ call: () => Promise.reject(new Error('boom')) }, 'app.info', TRUSTED);
    const answer = await handler({ senderFrame: window.webContents.mainFrame } as never, {});
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'Topograph hit an internal error in app.info: boom' } });
  });

  it('takes the method from the channel, never from the arguments', async () => {
    const spy = vi.spyOn(engine, 'call');
    try {
      await ipcMain.invokeFrom(ourWindow().webContents.mainFrame, ipcChannel('app.info'), { method: 'broker.start' });
      expect(spy).toHaveBeenCalledWith('app.info', { method: 'broker.start' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('argument shape', () => {
  it('refuses anything but a plain object before validation', async () => {
    const { argumentShapeProblem } = await import('../../electron/main/ipc');
    for (const params of [42, 'x', true, [], new Uint8Array(4), new Date(0), new Map(), new (class Custom {})()]) {
      expect(argumentShapeProblem('app.info', params)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    for (const params of [undefined, null, {}, { a: 1 }, Object.create(null) as object]) {
      expect(argumentShapeProblem('app.info', params)).toBeUndefined();
    }
  });

  it('refuses a flood of keys', async () => {
    const { argumentShapeProblem, MAX_ARGUMENT_KEYS } = await import('../../electron/main/ipc');
    const many = Object.fromEntries(Array.from({ length: MAX_ARGUMENT_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    expect(argumentShapeProblem('tree.children', many)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });
});
