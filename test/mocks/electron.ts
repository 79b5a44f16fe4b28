/**
 * The `electron` module, faked at the boundary for main and preload tests (the Electron binary is
 * not available here). Use it with `vi.mock('electron', () => import('../mocks/electron'))` and
 * drive it through `electronMock`. The fakes record what the code under test asked for and behave
 * like Electron where the code depends on it: one handler per IPC channel, structured cloning
 * across IPC, `window-all-closed` after the last window, events whose default can be prevented.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: unknown[]) => unknown;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeDisplay {
  id: number;
  bounds: Rect;
  workArea: Rect;
  scaleFactor: number;
}

/** An Electron event: listeners may call preventDefault(). */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly details: Record<string, unknown> = {}) {
    Object.assign(this, details);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class WebFrameMain {
  readonly top: WebFrameMain;
  constructor(
    public url: string,
    readonly parent: WebFrameMain | null,
    /** Not Electron API: the contents this frame belongs to. */
    readonly contents: WebContents,
  ) {
    this.top = parent ? parent.top : this;
  }
}

let nextContentsId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: WebFrameMain;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: Record<string, unknown>) => { action: string }) | undefined;
  destroyed = false;
  readonly session: FakeSession;

  constructor(url = 'about:blank') {
    super();
    this.mainFrame = new WebFrameMain(url, null, this);
    this.session = session.defaultSession;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    if (state.rendererFrame?.contents === this) ipcRenderer.deliver(channel, ...cloned);
  }

  setWindowOpenHandler(handler: (details: Record<string, unknown>) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  // ---- test helpers (not Electron API)

  /** Emits a navigation event the way Chromium would; true when a listener prevented it. */
  attempt(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url: string): boolean {
    const e = new FakeEvent({ url });
    this.emit(event, e, url);
    return e.defaultPrevented;
  }

  /** What window.open / a target=_blank link would get back from the open handler. */
  openWindow(details: { url: string; disposition?: string; features?: string; frameName?: string; postBody?: unknown }): { action: string } {
    if (!this.windowOpenHandler) return { action: 'allow' };
    return this.windowOpenHandler({ frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' }, ...details });
  }

  subFrame(url: string): WebFrameMain {
    return new WebFrameMain(url, this.mainFrame, this);
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return [...state.windows];
  }
  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return state.windows.find((w) => w.webContents === contents) ?? null;
  }

  readonly webContents: WebContents;
  readonly loadedUrls: string[] = [];
  bounds: Rect;
  visible = false;
  focused = false;
  maximized = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> } = {}) {
    super();
    state.calls.windowsCreated.push(options);
    const n = (key: string, fallback: number): number => (typeof options[key] === 'number' ? (options[key] as number) : fallback);
    this.bounds = { x: n('x', 0), y: n('y', 0), width: n('width', 800), height: n('height', 600) };
    this.webContents = new WebContents();
    state.windows.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
    return state.loadURLResult(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  show(): void {
    this.visible = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rect>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('move');
    this.emit('resize');
  }
  close(): void {
    const e = new FakeEvent();
    this.emit('close', e);
    if (!e.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    state.windows = state.windows.filter((w) => w !== this);
    this.emit('closed');
    if (state.windows.length === 0) app.emit('window-all-closed');
  }
}

class FakeApp extends EventEmitter {
  get isPackaged(): boolean {
    return state.isPackaged;
  }
  getPath(name: string): string {
    const path = state.paths[name];
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  getAppPath(): string {
    return state.appPath;
  }
  getVersion(): string {
    return state.version;
  }
  getName(): string {
    return 'Topograph';
  }
  requestSingleInstanceLock(): boolean {
    state.calls.singleInstanceLock += 1;
    return state.singleInstanceLock;
  }
  whenReady(): Promise<void> {
    return state.ready.promise;
  }
  isReady(): boolean {
    return state.isReady;
  }
  quit(): void {
    state.calls.quit += 1;
  }
  exit(code = 0): void {
    state.calls.exit.push(code);
  }
  setAppUserModelId(id: string): void {
    state.calls.appUserModelId = id;
  }
  readonly commandLine = {
    hasSwitch: (name: string): boolean => state.switches.includes(name),
  };
}

class IpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    // Electron refuses a second handler for a channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    state.calls.ipcHandle.push(channel);
    this.handlers.set(channel, handler);
  }
  handleOnce(channel: string, handler: Handler): void {
    this.handle(channel, (...args) => {
      this.handlers.delete(channel);
      return handler(...args);
    });
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: an `invoke` arriving from `frame`, arguments and answer cloned as Electron does. */
  async invokeFrom(frame: WebFrameMain | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { senderFrame: frame, sender: frame?.contents, processId: 1, frameId: 1 };
    const answer = await handler(event, ...structuredClone(args));
    return structuredClone(answer);
  }
}

class IpcRenderer extends EventEmitter {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    state.calls.ipcInvoke.push(channel);
    try {
      return ipcMain.invokeFrom(state.rendererFrame, channel, ...args);
    } catch (error) {
      // structuredClone throws synchronously; Electron rejects instead.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
  /** Test helper: main sent `args` on `channel`. */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this, senderId: 0, ports: [] }, ...args);
  }
}

class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  readonly protocol = protocol;
  setPermissionRequestHandler(handler: Handler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler | null): void {
    this.devicePermissionHandler = handler;
  }
  /** Test helper: what the request handler grants. */
  requestPermission(permission: string, requestingUrl: string): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.permissionRequestHandler) return resolve(true);
      const contents = state.windows[0]?.webContents ?? null;
      this.permissionRequestHandler(contents, permission, resolve, { requestingUrl, isMainFrame: true });
    });
  }
  /** Test helper: what the check handler answers. */
  checkPermission(permission: string, requestingUrl: string): boolean {
    if (!this.permissionCheckHandler) return true;
    const origin = new URL(requestingUrl).origin;
    return this.permissionCheckHandler(null, permission, origin, { requestingUrl, isMainFrame: true }) === true;
  }
}

const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (state.isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    state.calls.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    protocolHandlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return protocolHandlers.has(scheme);
  },
  /** Test helper: what a page would get for `url`. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`No handler for ${url}`);
    return handler(new Request(url, init));
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    if (state.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    state.exposed.set(key, api);
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    state.calls.openExternal.push(url);
    return Promise.resolve();
  },
  openPath(path: string): Promise<string> {
    state.calls.openPath.push(path);
    return Promise.resolve('');
  },
};

export const safeStorage = {
  isEncryptionAvailable(): boolean {
    return state.safeStorage.available;
  },
  getSelectedStorageBackend(): string {
    return state.safeStorage.backend;
  },
  // A reversible stand-in: clearly not the plain text, and refused when it was not made here.
  encryptString(plain: string): Buffer {
    if (!state.safeStorage.available) throw new Error('Encryption is not available.');
    const bytes = Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a);
    return Buffer.concat([Buffer.from('v10'), bytes]);
  },
  decryptString(sealed: Buffer): string {
    if (!state.safeStorage.available) throw new Error('Decryption is not available.');
    if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(sealed.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

export const screen = {
  getAllDisplays(): FakeDisplay[] {
    return state.displays.map((d) => ({ ...d }));
  },
  getPrimaryDisplay(): FakeDisplay {
    const primary = state.displays[0];
    if (!primary) throw new Error('No display');
    return { ...primary };
  },
};

export const net = {
  fetch(input: string): Promise<Response> {
    state.calls.netFetch.push(input);
    return Promise.reject(new Error('net.fetch is not available in tests.'));
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    state.calls.errorBoxes.push({ title, content });
  },
  showMessageBox(): Promise<{ response: number; checkboxChecked: boolean }> {
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
  showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  showSaveDialog(): Promise<{ canceled: boolean; filePath: string }> {
    return Promise.resolve({ canceled: true, filePath: '' });
  },
};

export const nativeTheme = { shouldUseDarkColors: false, themeSource: 'system' };
export const Menu = { setApplicationMenu: (): void => undefined, buildFromTemplate: (t: unknown): unknown => t };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function freshState() {
  return {
    isPackaged: false,
    isReady: false,
    ready: deferred(),
    version: '0.1.0-test',
    appPath: '/nonexistent/topograph',
    paths: { userData: '/nonexistent/userData', home: '/nonexistent/home', temp: '/tmp' } as Record<string, string>,
    singleInstanceLock: true,
    /** Chromium switches the app was started with, without the leading dashes. */
    switches: [] as string[],
    windows: [] as BrowserWindow[],
    /** The frame ipcRenderer speaks for (the preload's page). */
    rendererFrame: null as WebFrameMain | null,
    exposed: new Map<string, unknown>(),
    displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 }] as FakeDisplay[],
    safeStorage: { available: true, backend: 'gnome_libsecret' },
    loadURLResult: (_url: string): Promise<void> => Promise.resolve(),
    calls: {
      quit: 0,
      exit: [] as number[],
      singleInstanceLock: 0,
      appUserModelId: undefined as string | undefined,
      windowsCreated: [] as Record<string, unknown>[],
      ipcHandle: [] as string[],
      ipcInvoke: [] as string[],
      privilegedSchemes: [] as { scheme: string; privileges?: Record<string, boolean> }[],
      openExternal: [] as string[],
      openPath: [] as string[],
      netFetch: [] as string[],
      errorBoxes: [] as { title: string; content: string }[],
    },
  };
}

let state = freshState();

export const app = new FakeApp();
export const ipcMain = new IpcMain();
export const ipcRenderer = new IpcRenderer();
export const session = { defaultSession: new FakeSession() };

export const electronMock = {
  get state() {
    return state;
  },
  /** Forgets every window, handler, listener and recorded call. */
  reset(): void {
    for (const w of state.windows) w.removeAllListeners();
    state = freshState();
    app.removeAllListeners();
    ipcMain.removeAllListeners();
    ipcMain.handlers.clear();
    ipcRenderer.removeAllListeners();
    protocolHandlers.clear();
    session.defaultSession = new FakeSession();
  },
  /** Makes `app` ready: resolves whenReady() and emits 'ready'. */
  emitReady(): void {
    state.isReady = true;
    state.ready.resolve();
    app.emit('ready', new FakeEvent(), {});
  },
};

const electron = { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, protocol, session, safeStorage, shell, screen, net, dialog, nativeTheme, Menu };
export default electron;
