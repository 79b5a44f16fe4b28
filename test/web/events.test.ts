import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EventBatch } from '../../electron/common/api';
import type { Result } from '../../electron/common/result';
import { EventChannel, type BufferedSocket } from '../../electron/web/event-channel';
import { encodeEventBatch } from '../../electron/web/rpc';
import { connectClient, startTestHost, type TestHost } from './helpers';

describe('event notifications', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends every event batch to every authenticated socket as an "events" notification', async () => {
    const a = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    const b = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    const saved = await a.request('profiles.save', { profile: { name: 'Local', host: '127.0.0.1', port: 1883 } });
    expect((saved.result as Result<unknown>).ok).toBe(true);
    const changed = (client: typeof a) =>
      client.notifications.some((n) =>
        ((n as { params: EventBatch }).params ?? []).some((event) => event.type === 'profiles.changed' && event.profiles.some((p) => p.name === 'Local')),
      );
    await expect.poll(() => changed(a) && changed(b)).toBe(true);
    const first = b.notifications[0] as Record<string, unknown>;
    expect(first.jsonrpc).toBe('2.0');
    expect(first.method).toBe('events');
    expect('id' in first).toBe(false);
    await a.close();
    await b.close();
  });
});

/** A socket whose send buffer the test fills and drains by hand. */
class SlowSocket implements BufferedSocket {
  bufferedAmount = 0;
  sent: EventBatch[] = [];
  send(text: string): void {
    this.sent.push((JSON.parse(text) as { params: EventBatch }).params);
  }
}

const delta = (connectionId: string, n: number): EngineEvent => ({
  type: 'tree.delta',
  delta: { connectionId, nodes: [], removed: [n] },
});
const stats = (messages: number): EngineEvent => ({
  type: 'connection.stats',
  stats: [{ connectionId: 'c1', msgsPerSec: 0, topics: 0, messages, stored: 0, storeBytes: 0, writingBehind: 0, backpressure: false }],
});
const push = (channel: EventChannel, batch: EventBatch): void => channel.push(batch, encodeEventBatch(batch));

describe('EventChannel on a slow socket', () => {
  it('sends batches as they are while the socket keeps up', () => {
    const socket = new SlowSocket();
    const channel = new EventChannel(socket, 1000, 250, 5);
    push(channel, [delta('c1', 1)]);
    push(channel, [delta('c1', 2)]);
    expect(socket.sent).toEqual([[delta('c1', 1)], [delta('c1', 2)]]);
    channel.close();
  });

  it('holds only the latest of each kind while slow, then sends them with a reset per touched connection', async () => {
    const socket = new SlowSocket();
    const channel = new EventChannel(socket, 1000, 250, 5);
    socket.bufferedAmount = 5000;
    for (let i = 0; i < 10_000; i++) push(channel, [delta(i % 2 ? 'c1' : 'c2', i), stats(i)]);
    push(channel, [{ type: 'app.problem', message: 'disk full' }]);
    expect(socket.sent).toEqual([]);
    expect(channel.coalesced).toBe(10_001);

    // Still above the low water mark: nothing yet.
    socket.bufferedAmount = 300;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(socket.sent).toEqual([]);

    socket.bufferedAmount = 0;
    await expect.poll(() => socket.sent.length).toBe(1);
    const [caughtUp] = socket.sent;
    expect(caughtUp).toEqual([
      { type: 'app.problem', message: 'disk full' },
      stats(9999),
      { type: 'tree.delta', delta: { connectionId: 'c2', nodes: [], removed: [], reset: true } },
      { type: 'tree.delta', delta: { connectionId: 'c1', nodes: [], removed: [], reset: true } },
    ]);

    // Back to normal delivery.
    push(channel, [delta('c1', 1)]);
    expect(socket.sent.at(-1)).toEqual([delta('c1', 1)]);
    channel.close();
  });
});
