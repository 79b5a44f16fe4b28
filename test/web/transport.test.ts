// The renderer's WebSocketTransport against the real web host and a real Engine, from Node: the
// socket factory is built on `ws` the way browser-socket.ts builds it on the browser's WebSocket.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AppInfo, EventBatch } from '../../electron/common/api';
import { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../electron/web/auth';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { RPC_PROTOCOL_NAME, TOKEN_PROTOCOL } from '../../renderer/src/transport/protocol';
import type { TransportState } from '../../renderer/src/transport/state';
import { DISCONNECTED_MESSAGE, WebSocketTransport, type SocketFactory } from '../../renderer/src/transport/WebSocketTransport';
import { startTestHost, type TestHost } from './helpers';

function wsFactory(port: number, token: string): SocketFactory {
  return (handlers) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, [RPC_PROTOCOL_NAME, TOKEN_PROTOCOL + token], { origin: `http://127.0.0.1:${port}` });
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data) => handlers.onMessage(String(data)));
    ws.on('error', () => {});
    ws.on('close', () => handlers.onClose());
    return { send: (text) => ws.send(text), close: () => ws.close() };
  };
}

describe('WebSocketTransport against the web host', () => {
  let t: TestHost | undefined;
  let second: WebHost | undefined;
  let transport: WebSocketTransport | undefined;
  afterEach(async () => {
    transport?.close();
    await second?.close();
    await t?.close();
    t = second = transport = undefined;
  });

  it('uses the same subprotocol names as the host', () => {
    expect(RPC_PROTOCOL_NAME).toBe(RPC_PROTOCOL);
    expect(TOKEN_PROTOCOL).toBe(TOKEN_PROTOCOL_PREFIX);
  });

  it('queues a call made while connecting, answers it, and delivers event batches', async () => {
    t = await startTestHost();
    transport = new WebSocketTransport({ connect: wsFactory(t.host.port, t.host.token) });
    const states: TransportState[] = [];
    transport.onState((s) => states.push(s));
    const batches: EventBatch[] = [];
    transport.onEvents((batch) => batches.push(batch));

    const info = await transport.call('app.info', {});
    expect(info.ok).toBe(true);
    if (info.ok) expect((info.value as AppInfo).host).toBe('web');
    expect(states).toEqual(['connecting', 'connected']);

    const refused = await transport.call('tree.find', { connectionId: '', topic: 'a' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('invalid-argument');

    const unknown = await transport.call('no.such' as 'app.info', {});
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe('unknown-method');

    await transport.call('profiles.save', { profile: { name: 'Seen through events', host: '127.0.0.1', port: 1883 } });
    await expect
      .poll(() => batches.flat().some((e) => e.type === 'profiles.changed' && e.profiles.some((p) => p.name === 'Seen through events')))
      .toBe(true);
  });

  it('fails calls with an io Result while the host is gone, and reconnects when it is back', async () => {
    t = await startTestHost();
    const { port, token } = t.host;
    transport = new WebSocketTransport({ connect: wsFactory(port, token), backoff: { initialMs: 20, maxMs: 100 } });
    const states: TransportState[] = [];
    transport.onState((s) => states.push(s));
    expect((await transport.call('app.info', {})).ok).toBe(true);

    await t.host.close();
    await expect.poll(() => transport?.state).toBe('disconnected');
    const whileGone = await transport.call('app.info', {});
    expect(whileGone).toEqual({ ok: false, error: { code: 'io', message: DISCONNECTED_MESSAGE } });

    // The same engine behind a new host on the same port and token: the transport finds it again.
    second = await startWebHost({ engine: t.engine, staticDir: t.staticDir, port, token });
    await expect.poll(() => transport?.state, { timeout: 5000 }).toBe('connected');
    expect((await transport.call('app.info', {})).ok).toBe(true);
    expect(states[0]).toBe('connecting');
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');
  });

  it('fails a call in flight when the socket drops', async () => {
    t = await startTestHost({
      wrap: (engine) => ({
        onDidEmit: (listener) => engine.onDidEmit(listener),
        // A call that never answers, so the drop is what ends it.
        call: (method, params) => (method === 'test.hang' ? new Promise(() => {}) : engine.call(method, params)),
      }),
    });
    transport = new WebSocketTransport({ connect: wsFactory(t.host.port, t.host.token), backoff: { initialMs: 50, maxMs: 50 } });
    expect((await transport.call('app.info', {})).ok).toBe(true);
    const hanging = transport.call('test.hang' as 'app.info', {});
    await t.host.close();
    const result = await hanging;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('io');
  });
});
