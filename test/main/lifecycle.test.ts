import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, FakeEvent, app, electronMock, ipcMain, protocol, session } from '../mocks/electron';
import { IPC_EVENTS_CHANNEL, METHOD_NAMES, ipcChannel, type EventBatch } from '../../electron/common/api';
import { Engine } from '../../electron/core/engine';
import { broadcast, startDesktop, type DesktopApp } from '../../electron/main/lifecycle';
import { NO_SANDBOX_WARNING } from '../../electron/main/sandbox';

vi.mock('electron', () => import('../mocks/electron'));

let dir: string;
let desktop: DesktopApp | undefined;
const platform = process.platform;

beforeEach(() => {
  electronMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'topograph-life-'));
  electronMock.state.paths['userData'] = join(dir, 'userData');
  electronMock.state.appPath = join(dir, 'app');
  desktop = undefined;
});
afterEach(async () => {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
  await desktop?.engine()?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function started(): Promise<DesktopApp> {
  desktop = startDesktop();
  electronMock.emitReady();
  await desktop.ready;
  return desktop;
}

describe('start', () => {
  it('registers app:// as a privileged scheme before the app is ready', () => {
    desktop = startDesktop();
    expect(electronMock.state.isReady).toBe(false);
    expect(electronMock.state.calls.privilegedSchemes.map((s) => s.scheme)).toEqual(['app']);
  });

  it('opens one window on our page with the built preload once ready', async () => {
    await started();
    const [window] = BrowserWindow.getAllWindows();
    expect(window?.loadedUrls).toEqual(['app://topograph/index.html']);
    expect(window?.options.webPreferences?.['preload']).toBe(join(dir, 'app', 'out', 'preload', 'index.cjs'));
    expect(protocol.isProtocolHandled('app')).toBe(true);
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
  });

  it('gives the engine the user data folder, the version and safeStorage, and answers over IPC', async () => {
    const { engine } = await started();
    expect(engine()).toBeInstanceOf(Engine);
    expect(ipcMain.handlers.size).toBe(METHOD_NAMES.length);
    const frame = BrowserWindow.getAllWindows()[0]?.webContents.mainFrame ?? null;
    const answer = await ipcMain.invokeFrom(frame, ipcChannel('app.info'), {});
    expect(answer).toMatchObject({
      ok: true,
      value: { host: 'desktop', version: '0.1.0-test', dataDir: join(dir, 'userData'), secretStorage: { kind: 'safeStorage' } },
    });
  });

  it('reports the OS sandbox being off as a start-up problem in app.info, which the renderer shows', async () => {
    electronMock.state.switches.push('no-sandbox');
    await started();
    const frame = BrowserWindow.getAllWindows()[0]?.webContents.mainFrame ?? null;
    const answer = (await ipcMain.invokeFrom(frame, ipcChannel('app.info'), {})) as { value: { problems: string[] } };
    expect(answer.value.problems).toEqual([NO_SANDBOX_WARNING]);
  });

  it('explains in a dialog and exits when the engine cannot start', async () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    electronMock.state.paths['userData'] = join(dir, 'blocker', 'userData');
    await started();
    expect(electronMock.state.calls.exit).toEqual([1]);
    expect(electronMock.state.calls.errorBoxes[0]?.content).toMatch(/could not open its data folder.*Check that the folder is writable/s);
    expect(BrowserWindow.getAllWindows()).toHaveLength(0);
  });
});

describe('single instance', () => {
  it('quits at once when another instance holds the lock', async () => {
    electronMock.state.singleInstanceLock = false;
    await started();
    expect(electronMock.state.calls.quit).toBe(1);
    expect(BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('brings the first window forward when a second instance starts', async () => {
    await started();
    const [window] = BrowserWindow.getAllWindows();
    window?.minimize();
    app.emit('second-instance', new FakeEvent(), ['topograph'], '/');
    expect(window).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('opens a window for a second launch when none is open (macOS)', async () => {
    Object.defineProperty(process, 'platform', { value: 'darwin', configurable: true });
    await started();
    BrowserWindow.getAllWindows()[0]?.close();
    app.emit('second-instance', new FakeEvent(), ['topograph'], '/');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  });
});

describe('events', () => {
  it('forwards each engine batch to every window', async () => {
    const spy = vi.spyOn(Engine.prototype, 'onDidEmit');
    await started();
    const second = new BrowserWindow({});
    const listener = spy.mock.calls[0]?.[0];
    spy.mockRestore();
    const batch: EventBatch = [{ type: 'app.problem', message: 'Something to say.' }];
    listener?.(batch);
    for (const window of BrowserWindow.getAllWindows()) {
      expect(window.webContents.sent).toEqual([{ channel: IPC_EVENTS_CHANNEL, args: [batch] }]);
    }
    expect(second.webContents.sent).toHaveLength(1);
  });

  it('skips windows that are being destroyed', () => {
    const alive = new BrowserWindow({});
    const dying = new BrowserWindow({});
    dying.webContents.destroyed = true;
    broadcast([{ type: 'app.problem', message: 'x' }]);
    expect(alive.webContents.sent).toHaveLength(1);
    expect(dying.webContents.sent).toHaveLength(0);
  });
});

describe('quitting', () => {
  it('quits when the last window closes, except on macOS', async () => {
    Object.defineProperty(process, 'platform', { value: 'linux', configurable: true });
    await started();
    BrowserWindow.getAllWindows()[0]?.close();
    expect(electronMock.state.calls.quit).toBe(1);
  });

  it('stays running on macOS and reopens a window from the dock', async () => {
    Object.defineProperty(process, 'platform', { value: 'darwin', configurable: true });
    await started();
    BrowserWindow.getAllWindows()[0]?.close();
    expect(electronMock.state.calls.quit).toBe(0);
    app.emit('activate');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('holds the quit until the engine has closed, then exits', async () => {
    const { engine } = await started();
    let release!: () => void;
    const closing = new Promise<void>((resolve) => (release = resolve));
    const close = vi.spyOn(engine() as Engine, 'close').mockImplementation(() => closing);
    const event = new FakeEvent();
    app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(electronMock.state.calls.exit).toEqual([]);
    release();
    await vi.waitFor(() => expect(electronMock.state.calls.exit).toEqual([0]));
    const again = new FakeEvent();
    app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
    close.mockRestore();
  });
});
