import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, WebContents, app, electronMock, session } from '../mocks/electron';
import { ALLOWED_PERMISSION, guardWebContents, installAppGuards, installSessionGuards, isExternalLink } from '../../electron/main/guard';

vi.mock('electron', () => import('../mocks/electron'));

const TRUSTED = ['app://topograph/'];
const guarded = (): WebContents => {
  const contents = new WebContents('app://topograph/index.html');
  guardWebContents(contents as never);
  return contents;
};

beforeEach(() => electronMock.reset());

describe('navigation', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('prevents %s to any address', (event) => {
    const contents = guarded();
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://topograph/other.html', 'javascript:alert(1)']) {
      expect(contents.attempt(event, url)).toBe(true);
    }
  });

  it('refuses to attach a <webview>', () => {
    expect(guarded().attempt('will-attach-webview', 'https://example.com/')).toBe(true);
  });

  it('guards every web contents created anywhere in the app', () => {
    installAppGuards();
    const window = new BrowserWindow({});
    expect(window.webContents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(window.webContents.openWindow({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('does not guard twice (one listener per event)', () => {
    const contents = guarded();
    guardWebContents(contents as never);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('leaves web contents alone without the hook (the test above can fail)', () => {
    const window = new BrowserWindow({});
    expect(window.webContents.attempt('will-navigate', 'https://example.com/')).toBe(false);
    expect(app.listenerCount('web-contents-created')).toBe(0);
  });
});

describe('new windows', () => {
  it('denies every window.open and target=_blank', () => {
    const contents = guarded();
    for (const url of ['https://example.com/', 'app://topograph/index.html', 'about:blank', 'file:///etc/passwd']) {
      expect(contents.openWindow({ url })).toEqual({ action: 'deny' });
    }
  });

  it('opens a clicked http(s) link in the system browser', async () => {
    const contents = guarded();
    contents.openWindow({ url: 'https://mqtt.org/', disposition: 'foreground-tab' });
    contents.openWindow({ url: 'http://example.com/docs', disposition: 'background-tab' });
    await Promise.resolve();
    expect(electronMock.state.calls.openExternal).toEqual(['https://mqtt.org/', 'http://example.com/docs']);
  });

  it.each([
    ['file:///etc/passwd', 'foreground-tab', ''],
    ['javascript:alert(1)', 'foreground-tab', ''],
    ['smb://host/share', 'foreground-tab', ''],
    ['ms-settings:', 'foreground-tab', ''],
    ['app://topograph/index.html', 'foreground-tab', ''],
    ['https://user:pass@evil.example/', 'foreground-tab', ''],
    ['not a url', 'foreground-tab', ''],
    ['https://example.com/', 'other', ''],
    ['https://example.com/', 'new-window', 'width=200,height=200'],
  ])('never hands %s (%s, features "%s") to the system', (url, disposition, features) => {
    const contents = guarded();
    expect(contents.openWindow({ url, disposition, features })).toEqual({ action: 'deny' });
    expect(electronMock.state.calls.openExternal).toEqual([]);
  });

  it('refuses form posts that target a new window', () => {
    expect(isExternalLink({ url: 'https://example.com/', disposition: 'foreground-tab', features: '', postBody: { data: [], contentType: 'x' } })).toBe(false);
  });
});

describe('permissions', () => {
  const all = ['media', 'geolocation', 'notifications', 'midiSysex', 'clipboard-read', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen', 'display-capture', 'unknown'];

  it('denies every permission request, from our page or any other', async () => {
    installSessionGuards(TRUSTED);
    for (const permission of all) {
      expect(await session.defaultSession.requestPermission(permission, 'app://topograph/index.html')).toBe(false);
      expect(await session.defaultSession.requestPermission(permission, 'https://example.com/')).toBe(false);
    }
  });

  it('answers every permission check with no', () => {
    installSessionGuards(TRUSTED);
    for (const permission of all) expect(session.defaultSession.checkPermission(permission, 'app://topograph/index.html')).toBe(false);
  });

  it('lets only our own page write to the clipboard', async () => {
    installSessionGuards(TRUSTED);
    expect(await session.defaultSession.requestPermission(ALLOWED_PERMISSION, 'app://topograph/index.html')).toBe(true);
    expect(session.defaultSession.checkPermission(ALLOWED_PERMISSION, 'app://topograph/index.html')).toBe(true);
    expect(await session.defaultSession.requestPermission(ALLOWED_PERMISSION, 'https://example.com/')).toBe(false);
    expect(session.defaultSession.checkPermission(ALLOWED_PERMISSION, 'https://example.com/')).toBe(false);
  });

  it('refuses every device (HID, serial, USB, Bluetooth)', () => {
    installSessionGuards(TRUSTED);
    expect(session.defaultSession.devicePermissionHandler?.({ deviceType: 'hid', origin: 'app://topograph' })).toBe(false);
  });
});
