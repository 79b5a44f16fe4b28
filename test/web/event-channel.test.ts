import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, EventBatch } from '../../electron/common/api';
import { EventChannel, type BufferedSocket } from '../../electron/web/event-channel';
import { encodeEventBatch } from '../../electron/web/rpc';
import { connectClient, startTestHost, type RpcClient, type TestHost } from './helpers';

/** A socket whose buffer grows with every send and drains only when the test says the reader read. */
class ReaderSocket implements BufferedSocket {
  bufferedAmount = 0;
  events: EventBatch[] = [];
  send(text: string): void {
    this.bufferedAmount += Buffer.byteLength(text);
    this.events.push((JSON.parse(text) as { params: EventBatch }).params);
  }
  /** What the host does with a request's answer: tell the channel, then queue it. */
  answer(channel: EventChannel, bytes: number): void {
    channel.answered(bytes);
    this.bufferedAmount += bytes;
  }
  read(bytes = this.bufferedAmount): void {
    this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
  }
}

const delta = (connectionId: string, n: number): EngineEvent => ({
  type: 'tree.delta',
  delta: { connectionId, nodes: [], removed: [n] },
});
const push = (channel: EventChannel, batch: EventBatch): void => channel.push(batch, encodeEventBatch(batch));
const resets = (batches: EventBatch[]): EngineEvent[] =>
  batches.flat().filter((event) => event.type === 'tree.delta' && event.delta.reset === true);
/** Bytes one small delta batch takes on the wire. */
const DELTA_BYTES = Buffer.byteLength(encodeEventBatch([delta('c1', 1)]));

describe('EventChannel beside request answers', () => {
  const channels: EventChannel[] = [];
  const open = (socket: BufferedSocket): EventChannel => {
    const channel = new EventChannel(socket, 1000, 250, 5);
    channels.push(channel);
    return channel;
  };
  afterEach(() => {
    for (const channel of channels.splice(0)) channel.close();
  });

  it('keeps sending deltas after an answer far bigger than the high water mark', () => {
    const socket = new ReaderSocket();
    const channel = open(socket);
    socket.answer(channel, 50_000);
    // Fewer event bytes than the high water mark sit behind the answer at any time.
    for (let i = 0; i < 5; i++) push(channel, [delta('c1', i)]);
    // The reader works through the answer only; more events keep coming.
    socket.read(50_000);
    for (let i = 5; i < 8; i++) push(channel, [delta('c1', i)]);

    expect(8 * DELTA_BYTES).toBeLessThan(1000);
    expect(channel.coalesced).toBe(0);
    expect(socket.events).toHaveLength(8);
    expect(resets(socket.events)).toEqual([]);
  });

  it('still coalesces and resets a reader that stops reading events behind a big answer', async () => {
    const socket = new ReaderSocket();
    const channel = open(socket);
    socket.answer(channel, 50_000);
    const batches = Math.ceil(2000 / DELTA_BYTES);
    for (let i = 0; i < batches; i++) push(channel, [delta('c1', i)]);
    expect(channel.coalesced).toBeGreaterThan(0);
    const sentWhole = socket.events.length;
    expect(sentWhole).toBeLessThan(batches);

    socket.read();
    await expect.poll(() => socket.events.length).toBe(sentWhole + 1);
    expect(resets(socket.events)).toEqual([{ type: 'tree.delta', delta: { connectionId: 'c1', nodes: [], removed: [], reset: true } }]);
  });

  it('keeps only the latest progress of a retained clear while the reader is slow', async () => {
    const socket = new ReaderSocket();
    const channel = open(socket);
    const progress = (done: number): EngineEvent => ({ type: 'retained.progress', progress: { connectionId: 'c1', nodeId: 4, done, failed: 0, total: 500 } });
    // Past the high water mark: the channel holds events instead of sending them.
    for (let i = 0; socket.bufferedAmount <= 1000; i++) push(channel, [delta('c1', i)]);
    for (let done = 1; done <= 300; done++) push(channel, [progress(done)]);
    const before = socket.events.length;
    socket.read();
    await expect.poll(() => socket.events.length).toBe(before + 1);
    const held = (socket.events.at(-1) ?? []).filter((event) => event.type === 'retained.progress');
    expect(held).toEqual([progress(300)]);
  });

  it('forgets an answer once it has left the buffer, so a later slow reader is caught at the usual mark', () => {
    const socket = new ReaderSocket();
    const channel = open(socket);
    socket.answer(channel, 50_000);
    socket.read();
    // Without forgetting, 50,000 bytes of events would pass before the channel noticed.
    const batches = Math.ceil(2000 / DELTA_BYTES);
    for (let i = 0; i < batches; i++) push(channel, [delta('c1', i)]);
    expect(channel.coalesced).toBeGreaterThan(0);
    expect(socket.bufferedAmount).toBeLessThan(1000 + 2 * DELTA_BYTES);
  });

  it('drains held events once the event bytes, not the answers behind them, fall below the low water mark', async () => {
    const socket = new ReaderSocket();
    const channel = open(socket);
    for (let i = 0; socket.bufferedAmount <= 1000; i++) push(channel, [delta('c1', i)]);
    push(channel, [delta('c2', 0)]);
    expect(channel.coalesced).toBe(1);
    // The events are read; an answer to a request arrives behind them and is not read yet.
    socket.read();
    socket.answer(channel, 50_000);
    await expect.poll(() => resets(socket.events)).toHaveLength(1);
    expect(resets(socket.events)[0]).toMatchObject({ delta: { connectionId: 'c2', reset: true } });
  });
});

describe('web host answers and the event channel', () => {
  let t: TestHost | undefined;
  let client: RpcClient | undefined;
  afterEach(async () => {
    await client?.close();
    await t?.close();
  });

  it('does not reset the tree of a socket that has just been sent a multi-MB answer', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024);
    let emit: ((batch: EventBatch) => void) | undefined;
    let answered: (() => void) | undefined;
    const answerSent = new Promise<void>((resolve) => (answered = resolve));
    t = await startTestHost({
      eventHighWaterBytes: 256 * 1024,
      wrap: () => ({
        onDidEmit: (listener) => {
          emit = listener;
          return () => (emit = undefined);
        },
        call: async () => {
          // The host sends the answer in the same turn that this promise settles in.
          setTimeout(() => answered?.(), 20);
          return { ok: true, value: big };
        },
      }),
    });
    client = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    // Not reading keeps most of the answer in the host's send buffer while events are pushed.
    client.ws.pause();
    const reply = client.request('test.big', {});
    await answerSent;
    for (let i = 0; i < 5; i++) emit?.([delta('c1', i)]);
    client.ws.resume();

    expect(((await reply).result as { value: string }).value).toHaveLength(big.length);
    await expect.poll(() => client?.notifications.length).toBe(5);
    const received = (client.notifications as { params: EventBatch }[]).map((n) => n.params);
    expect(received).toEqual([0, 1, 2, 3, 4].map((i) => [delta('c1', i)]));
  });
});
