/**
 * The desktop app's life: one instance, the app:// scheme, the engine, IPC, the window, and a clean
 * shutdown that lets the engine flush its store before the process ends.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { IPC_EVENTS_CHANNEL, type EventBatch } from '../common/api';
import { Engine } from '../core/engine';
import { installAppGuards, installSessionGuards } from './guard';
import { registerIpc } from './ipc';
import { appLocations } from './origin';
import { registerAppScheme, serveRenderer } from './protocol';
import { sandboxProblems } from './sandbox';
import { SafeStorageSecretBox } from './secret-box';
import { createMainWindow, windowStateFile } from './window';

/** Sends one event batch to every open window. */
export function broadcast(batch: EventBatch): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
    window.webContents.send(IPC_EVENTS_CHANNEL, batch);
  }
}

/** Brings the first window forward (a second launch lands here). */
export function focusFirstWindow(): void {
  const window = BrowserWindow.getAllWindows()[0];
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export interface DesktopApp {
  /** Resolves once the window exists (or start failed). */
  ready: Promise<void>;
  engine(): Engine | undefined;
}

export function startDesktop(): DesktopApp {
  // Chromium fixes scheme privileges at start, so this must run before 'ready'.
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(), engine: () => undefined };
  }
  installAppGuards();

  let engine: Engine | undefined;
  let closed = false;
  const locations = appLocations();
  const openWindow = (): void => {
    createMainWindow({ preload: locations.preload, entryUrl: locations.entryUrl, stateFile: windowStateFile() });
  };
  app.on('second-instance', () => {
    // On macOS the app may be running with every window closed: a second launch opens one.
    if (engine && BrowserWindow.getAllWindows().length === 0) openWindow();
    else focusFirstWindow();
  });

  const ready = app.whenReady().then(() => {
    installSessionGuards(locations.trustedPrefixes);
    serveRenderer(locations.rendererRoot);
    try {
      engine = new Engine({
        dataDir: app.getPath('userData'),
        host: 'desktop',
        version: app.getVersion(),
        secretBox: new SafeStorageSecretBox(),
        problems: sandboxProblems(),
      });
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox(
        'Topograph could not start',
        `Topograph could not open its data folder (${app.getPath('userData')}): ${cause}\n\nCheck that the folder is writable and not used by another program, then start Topograph again.`,
      );
      app.exit(1);
      return;
    }
    registerIpc(engine, locations.trustedPrefixes);
    engine.onDidEmit(broadcast);
    openWindow();
  });

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (engine && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!engine || closed) return;
    // Hold the quit until the engine has closed its connections and flushed the message store.
    event.preventDefault();
    closed = true;
    void engine.close().finally(() => app.exit(0));
  });

  return { ready, engine: () => engine };
}
