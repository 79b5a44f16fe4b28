import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, electronMock, ipcRenderer } from '../../mocks/electron';
import { BRIDGE_KEY, IPC_EVENTS_CHANNEL, METHOD_NAMES, ipcChannel, type EventBatch } from '../../../electron/common/api';
import { BRIDGE_MEMBERS, type TopographBridge } from '../../../electron/common/bridge';
import { Engine } from '../../../electron/core/engine';
import { registerIpc } from '../../../electron/main/ipc';
import { SafeStorageSecretBox } from '../../../electron/main/secret-box';

vi.mock('electron', () => import('../../mocks/electron'));

let dir: string;
let engine: Engine;
let bridge: TopographBridge;
let window: BrowserWindow;

beforeAll(async () => {
  electronMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'topograph-preload-'));
  engine = new Engine({ dataDir: dir, host: 'desktop', version: '4.5.6', secretBox: new SafeStorageSecretBox() });
  // The preload exposes its bridge when it loads.
  await import('../../../electron/preload/index');
  bridge = electronMock.state.exposed.get(BRIDGE_KEY) as TopographBridge;
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  // Keep what the preload exposed; start every test with a fresh window and handlers.
  const exposed = electronMock.state.exposed;
  electronMock.reset();
  electronMock.state.exposed = exposed;
  registerIpc(engine, ['app://topograph/']);
  window = new BrowserWindow({});
  void window.loadURL('app://topograph/index.html');
  electronMock.state.rendererFrame = window.webContents.mainFrame;
});

describe('preload bridge', () => {
  it("exposes exactly the contract's methods and onEvents under window.topograph", () => {
    expect([...electronMock.state.exposed.keys()]).toEqual([BRIDGE_KEY]);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_MEMBERS].sort());
    expect(typeof bridge.onEvents).toBe('function');
    expect(Object.keys(bridge.methods).sort()).toEqual([...METHOD_NAMES].sort());
    for (const value of Object.values(bridge.methods)) expect(typeof value).toBe('function');
  });

  it('never hands out ipcRenderer or anything that reaches it', () => {
    const functions = [bridge.onEvents, ...Object.values(bridge.methods)];
    expect([...Object.values(bridge), ...functions]).not.toContain(ipcRenderer);
    for (const fn of functions) expect(Object.keys(fn)).toEqual([]);
    expect(Object.values(bridge).filter((value) => typeof value !== 'function')).toEqual([bridge.methods]);
  });

  it('calls the engine through IPC and returns its Result', async () => {
    expect(await bridge.methods['app.info']({})).toMatchObject({ ok: true, value: { host: 'desktop', version: '4.5.6' } });
    expect(electronMock.state.calls.ipcInvoke).toEqual(['topograph:app.info']);
  });

  it("sends each method on that method's own channel", async () => {
    // No handlers in main: every call fails there, so nothing in the engine runs, but each one is sent.
    electronMock.reset();
    electronMock.state.exposed = new Map([[BRIDGE_KEY, bridge]]);
    for (const method of METHOD_NAMES) {
      expect(await bridge.methods[method]({})).toMatchObject({ ok: false, error: { code: 'internal' } });
    }
    expect(electronMock.state.calls.ipcInvoke).toEqual(METHOD_NAMES.map(ipcChannel));
  });

  it.each(['nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app.info ', 'invoke'])(
    'offers no function for the unknown method %s',
    (name) => {
      expect(Object.hasOwn(bridge.methods, name)).toBe(false);
      expect(Object.hasOwn(bridge, name)).toBe(false);
    },
  );

  it('passes main refusals through as failed Results', async () => {
    expect(await bridge.methods['tree.children']({ connectionId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    electronMock.state.rendererFrame = window.webContents.subFrame('app://topograph/index.html');
    expect(await bridge.methods['app.info']({})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('turns arguments IPC cannot carry into a failed Result instead of a rejection', async () => {
    const answer = await bridge.methods['app.info']({ callback: () => 1 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!answer.ok) expect(answer.error.message).toMatch(/could not deliver app.info.*Reload the window/);
  });

  it('delivers event batches without the IPC event, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvents((...args: unknown[]) => received.push(args));
    const batch: EventBatch = [{ type: 'app.problem', message: 'Hello.' }];
    window.webContents.send(IPC_EVENTS_CHANNEL, batch);
    expect(received).toEqual([[batch]]);
    unsubscribe();
    window.webContents.send(IPC_EVENTS_CHANNEL, batch);
    expect(received).toHaveLength(1);
    expect(ipcRenderer.listenerCount(IPC_EVENTS_CHANNEL)).toBe(0);
  });

  it('listens only on the events channel', () => {
    const received: unknown[] = [];
    const unsubscribe = bridge.onEvents((batch) => received.push(batch));
    ipcRenderer.deliver('topograph:app.info', [{ type: 'app.problem', message: 'spoof' }]);
    ipcRenderer.deliver('some-other-channel', [{ type: 'app.problem', message: 'spoof' }]);
    expect(received).toEqual([]);
    unsubscribe();
  });

  it('refuses a listener that is not a function', () => {
    expect(() => bridge.onEvents('alert(1)' as never)).toThrow(TypeError);
  });
});
