import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, type BrowserWindow as FakeWindow } from '../mocks/electron';
import { createMainWindow, secureWebPreferences } from '../../electron/main/window';

vi.mock('electron', () => import('../mocks/electron'));

let dir: string;
beforeEach(() => {
  electronMock.reset();
  dir = mkdtempSync(join(tmpdir(), 'topograph-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (): FakeWindow =>
  createMainWindow({ preload: '/app/out/preload/index.cjs', entryUrl: 'app://topograph/index.html', stateFile: join(dir, 'state.json') }) as unknown as FakeWindow;

describe('main window', () => {
  it('turns on every security setting in webPreferences', () => {
    open();
    const prefs = electronMock.state.calls.windowsCreated[0]?.['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('spells out each flag even where Electron defaults agree, so a regression is visible', () => {
    const prefs = secureWebPreferences('p');
    for (const key of ['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity', 'allowRunningInsecureContent', 'webviewTag']) {
      expect(prefs).toHaveProperty(key);
    }
  });

  it('loads the renderer from app://, never file://', () => {
    const window = open();
    expect(window.loadedUrls).toEqual(['app://topograph/index.html']);
  });

  it('stays hidden until the page is ready, then shows', () => {
    const window = open();
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('shows the window even when the page fails to load', async () => {
    electronMock.state.loadURLResult = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    const window = open();
    await vi.waitFor(() => expect(window.visible).toBe(true));
  });

  it('guards its own web contents without relying on the app-wide hook', () => {
    const window = open();
    expect(window.webContents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(window.webContents.openWindow({ url: 'app://topograph/index.html' })).toEqual({ action: 'deny' });
  });
});
