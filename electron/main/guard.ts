/**
 * App-wide rules for every web contents Topograph ever creates: no navigation away from the page,
 * no new windows, no <webview>, no permissions. Links a person clicks open in the system browser,
 * and only when they are http(s).
 */
import { isTrustedUrl } from './origin';
import { app, session, shell, type HandlerDetails, type Session, type WebContents } from 'electron';

const guarded = new WeakSet<WebContents>();

/** Chromium's dispositions for a clicked link; script-made popups carry window features instead. */
const LINK_DISPOSITIONS = new Set<HandlerDetails['disposition']>(['default', 'foreground-tab', 'background-tab', 'new-window']);

/** Whether a window-open request is an http(s) link a person clicked, fit for the system browser. */
export function isExternalLink(details: Pick<HandlerDetails, 'url' | 'disposition' | 'features' | 'postBody'>): boolean {
  if (!LINK_DISPOSITIONS.has(details.disposition) || details.features !== '' || details.postBody !== undefined) return false;
  let url: URL;
  try {
    url = new URL(details.url);
  } catch {
    return false;
  }
  // Credentials in a link are a classic disguise for where it really goes.
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
}

export function guardWebContents(contents: WebContents): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const prevent = (event: { preventDefault(): void }): void => event.preventDefault();
  contents.on('will-navigate', prevent);
  contents.on('will-frame-navigate', prevent);
  contents.on('will-redirect', prevent);
  contents.on('will-attach-webview', prevent);
  contents.setWindowOpenHandler((details) => {
    if (isExternalLink(details)) void shell.openExternal(details.url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/**
 * The one permission our own page keeps: writing text to the clipboard (Chromium sanitizes it and
 * asks for a user gesture). Without it every "Copy" button fails with NotAllowedError.
 */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

/** Refuses every permission (camera, notifications, geolocation, clipboard reads, HID, ...) and every device. */
export function denyPermissions(target: Session, trustedPrefixes: readonly string[]): void {
  const allowed = (permission: string, url: string | undefined): boolean =>
    permission === ALLOWED_PERMISSION && url !== undefined && isTrustedUrl(url, trustedPrefixes);
  target.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  target.setPermissionCheckHandler((_contents, permission, _origin, details) => allowed(permission, details.requestingUrl));
  target.setDevicePermissionHandler(() => false);
}

/** Installs the guards for every web contents created from now on and for the default session. */
export function installAppGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

export function installSessionGuards(trustedPrefixes: readonly string[]): void {
  denyPermissions(session.defaultSession, trustedPrefixes);
}
