/**
 * The main window. Every web preference that matters for security is spelled out here, even
 * where Electron's default already agrees, so a test and the static scan can hold it in place.
 */
import { join } from 'node:path';
import { app, BrowserWindow, screen, type WebPreferences } from 'electron';
import { guardWebContents } from './guard';
import { MIN_SIZE, placeWindow, readWindowState, trackWindowState } from './window-state';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
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
    safeDialogs: true,
    preload,
  };
}

export const windowStateFile = (): string => join(app.getPath('userData'), 'window-state.json');

export interface MainWindowOptions {
  preload: string;
  entryUrl: string;
  stateFile: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placement = placeWindow(
    readWindowState(options.stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Topograph',
    webPreferences: secureWebPreferences(options.preload),
  });
  // The app-wide hook guards it too; guarding here as well keeps the window safe even if that
  // hook was never installed.
  guardWebContents(window.webContents);
  trackWindowState(window, options.stateFile);
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  // A failed load never becomes ready-to-show: show the window anyway so the app is not invisible.
  window.loadURL(options.entryUrl).catch(() => {
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
