// The renderer's transports in happy-dom: its WebSocket (built on `ws`) talks to the real web host
// and a real Engine, started in this process by host-fixture.mjs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, EventBatch } from '@common/api';
import type { BridgeMethod, TopographBridge } from '@common/bridge';
import { BRIDGE_KEY, METHOD_NAMES } from '@common/api';
import { NO_TOKEN_MESSAGE, createTransport, onTransportState, type TransportState } from '@renderer/transport';
import { IpcTransport } from '@renderer/transport/IpcTransport';
import { TOKEN_STORAGE_KEY, takeToken } from '@renderer/transport/token';
import { DISCONNECTED_MESSAGE, WebSocketTransport } from '@renderer/transport/WebSocketTransport';
import { startHostFixture, type HostFixture } from './host-fixture.mjs';

const setURL = (url: string): void => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
const globals = window as unknown as Record<string, unknown>;

/** The preload's shape: one function per method of the contract, each handing its name to `send`. */
function bridgeMethods(send: (method: string, params: unknown) => ReturnType<BridgeMethod>): TopographBridge['methods'] {
  return Object.fromEntries(METHOD_NAMES.map((method) => [method, (params: unknown) => send(method, params)])) as TopographBridge['methods'];
}

describe('takeToken', () => {
  afterEach(() => sessionStorage.clear());

  it('moves ?token= from the address bar into sessionStorage and keeps the rest of the address', () => {
    setURL('http://127.0.0.1:5555/?view=tree&token=abc-DEF_123#node');
    expect(takeToken(window)).toBe('abc-DEF_123');
    expect(location.href).toBe('http://127.0.0.1:5555/?view=tree#node');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('abc-DEF_123');
    // A reload: the address has no token any more, the tab's storage still has it.
    expect(takeToken(window)).toBe('abc-DEF_123');
  });

  it('finds nothing on a fresh tab without ?token=', () => {
    setURL('http://127.0.0.1:5555/');
    expect(takeToken(window)).toBeUndefined();
  });
});

describe('createTransport in a browser', () => {
  let host: HostFixture;
  let transport: WebSocketTransport | undefined;
  beforeAll(async () => {
    host = await startHostFixture();
  });
  afterEach(() => {
    transport?.close();
    transport = undefined;
    sessionStorage.clear();
  });
  afterAll(async () => {
    await host.close();
  });

  it('connects to the web host of the page with the token from the address, and reports the state', async () => {
    setURL(`${host.origin}/?token=${host.token}`);
    const states: TransportState[] = [];
    const stop = onTransportState((state) => states.push(state));
    const api = createTransport();
    expect(api).toBeInstanceOf(WebSocketTransport);
    transport = api as WebSocketTransport;
    expect(location.search).toBe('');

    const info = await api.call('app.info', {});
    expect(info.ok).toBe(true);
    if (info.ok) expect((info.value as AppInfo).host).toBe('web');
    expect(states.at(-1)).toBe('connected');

    const batches: EventBatch[] = [];
    api.onEvents((batch) => batches.push(batch));
    const saved = await api.call('profiles.save', { profile: { name: 'From the browser', host: '127.0.0.1', port: 1883 } });
    expect(saved.ok).toBe(true);
    await expect.poll(() => batches.flat().some((event) => event.type === 'profiles.changed')).toBe(true);
    stop();
  });

  it('shows disconnected and fails calls with an io sentence while the host is away, then reconnects', async () => {
    setURL(`${host.origin}/?token=${host.token}`);
    transport = createTransport() as WebSocketTransport;
    expect((await transport.call('app.info', {})).ok).toBe(true);

    const states: TransportState[] = [];
    const stop = onTransportState((state) => states.push(state));
    await host.stop();
    await expect.poll(() => states.includes('disconnected')).toBe(true);
    expect(await transport.call('app.info', {})).toEqual({ ok: false, error: { code: 'io', message: DISCONNECTED_MESSAGE } });

    await host.restart();
    await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');
    expect((await transport.call('app.info', {})).ok).toBe(true);
    stop();
  });

  it('fails a call in flight with an io Result when the socket drops', async () => {
    setURL(`${host.origin}/?token=${host.token}`);
    transport = createTransport() as WebSocketTransport;
    expect((await transport.call('app.info', {})).ok).toBe(true);
    const hanging = transport.call('test.hang' as 'app.info', {});
    await host.stop();
    expect(await hanging).toEqual({ ok: false, error: { code: 'io', message: DISCONNECTED_MESSAGE } });
    await host.restart();
  });

  it('answers every call with an unauthorized sentence when the page has no token', async () => {
    setURL(`${host.origin}/`);
    const api = createTransport();
    const result = await api.call('app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'unauthorized', message: NO_TOKEN_MESSAGE } });
    let seen: TransportState | undefined;
    onTransportState((state) => (seen = state))();
    expect(seen).toBe('disconnected');
  });
});

describe('createTransport inside Electron', () => {
  afterEach(() => {
    delete globals[BRIDGE_KEY];
  });

  it('uses the preload bridge when it exists', async () => {
    const calls: [string, unknown][] = [];
    let emit: ((batch: EventBatch) => void) | undefined;
    const bridge: TopographBridge = {
      methods: bridgeMethods(async (method, params) => {
        calls.push([method, params]);
        return { ok: true, value: 'from main' };
      }),
      onEvents: (listener) => {
        emit = listener;
        return () => (emit = undefined);
      },
    };
    globals[BRIDGE_KEY] = bridge;
    const api = createTransport();
    expect(api).toBeInstanceOf(IpcTransport);
    expect(await api.call('tree.find', { connectionId: 'c', topic: 'a/b' })).toEqual({ ok: true, value: 'from main' });
    expect(calls).toEqual([['tree.find', { connectionId: 'c', topic: 'a/b' }]]);

    const batches: EventBatch[] = [];
    const off = api.onEvents((batch) => batches.push(batch));
    emit?.([{ type: 'app.problem', message: 'hello' }]);
    expect(batches).toEqual([[{ type: 'app.problem', message: 'hello' }]]);
    off();
    expect(emit).toBeUndefined();

    let seen: TransportState | undefined;
    onTransportState((state) => (seen = state))();
    expect(seen).toBe('connected');
  });

  it('keeps the no-throw contract when the bridge rejects', async () => {
    const api = new IpcTransport({ methods: bridgeMethods(() => Promise.reject(new Error('gone'))), onEvents: () => () => {} });
    const result = await api.call('app.info', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).toContain('gone');
    }
  });

  it('answers a method the preload does not offer with a failed Result, inherited names included', async () => {
    const sent: string[] = [];
    const api = new IpcTransport({
      methods: bridgeMethods(async (method) => {
        sent.push(method);
        return { ok: true, value: null };
      }),
      onEvents: () => () => {},
    });
    for (const name of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const result = await api.call(name as 'app.info', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      if (!result.ok) expect(result.error.message).toMatch(/Unknown method .*Reload the window/);
    }
    expect(sent).toEqual([]);
  });

  it('ignores a window.topograph without the methods object', () => {
    // No token either, so createTransport falls back to its refusing stand-in and opens no socket.
    sessionStorage.clear();
    setURL('http://127.0.0.1:5555/');
    globals[BRIDGE_KEY] = { invoke: async () => ({ ok: true, value: null }), onEvents: () => () => {} };
    expect(createTransport()).not.toBeInstanceOf(IpcTransport);
  });
});
