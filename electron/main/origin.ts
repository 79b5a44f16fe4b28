/**
 * Where the renderer comes from. The packaged app only ever loads `app://topograph/`; an unpackaged
 * run under `electron-vite dev` may also trust the dev server it was started with.
 */
import { join } from 'node:path';
import { app } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'topograph';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface AppLocations {
  /** The sandboxed preload: one self-contained CommonJS file. */
  preload: string;
  /** The built renderer, served by the app:// handler. */
  rendererRoot: string;
  /** What the window loads. */
  entryUrl: string;
  /** URL prefixes whose main frame may call the engine over IPC. */
  trustedPrefixes: string[];
}

export function appLocations(): AppLocations {
  // getAppPath() is the project root when unpackaged and resources/app.asar when packaged; out/ is
  // laid out the same in both.
  const root = app.getAppPath();
  const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const trustedPrefixes = [`${APP_ORIGIN}/`];
  if (devServer) trustedPrefixes.push(new URL('/', devServer).href);
  return {
    preload: join(root, 'out', 'preload', 'index.cjs'),
    rendererRoot: join(root, 'out', 'renderer'),
    entryUrl: devServer ?? APP_ENTRY_URL,
    trustedPrefixes,
  };
}

export function isTrustedUrl(url: string, trustedPrefixes: readonly string[]): boolean {
  return trustedPrefixes.some((prefix) => url.startsWith(prefix));
}
