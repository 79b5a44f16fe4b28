/**
 * One measured subscriber, in a process of its own so its memory figures are its own.
 * `ceiling`: a bare mqtt.js client that only counts (what the machine can receive at all).
 * `engine`: the real Engine, as the app runs it: a profile subscribed to `bench/#`, opened with
 * `connection.open`, so every message goes through the connection part (protocol log, v5
 * properties, handleMessage backpressure) into the tree and the SQLite store, with the 100 ms
 * event flush on and each batch serialized as the web host would. Afterwards the engine is closed
 * and the profile's store reopened from disk (the restart path) for the queries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type { ProfileView, RetentionSettings } from '../../electron/common/model';
import type { ConnectionStats } from '../../electron/common/session';
import { toWire } from '../../electron/common/wire';
import { createDataPart, type Recorder } from '../../electron/core/data';
import { Engine } from '../../electron/core/engine';
import { EventHub } from '../../electron/core/events';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { runQueries, type QueryFigures } from './queries';

export interface SubscriberResult {
  mode: 'ceiling' | 'engine';
  received: number;
  /** ms from the first message to the last one received. */
  receiveMs: number;
  /** ms from the first message until the store had written every one (engine). */
  storedMs: number;
  stored: number;
  peakRssMb: number;
  peakHeapMb: number;
  diskBytes: number;
  deltas: { count: number; perSecond: number; meanNodes: number; meanBytes: number };
  backpressureSamples: number;
  /** CPU time (user + system) of this process per message, from the first message until all stored. */
  cpuUsPerMessage: number;
  /** The same for the main thread alone (the store's writer thread excluded). */
  mainThreadCpuUsPerMessage: number;
  queries?: QueryFigures;
  /** ms to reopen the profile's store from disk and rebuild its tree (engine). */
  reopenMs?: number;
}

const [mode, portText, expectedText] = process.argv.slice(2) as ['ceiling' | 'engine', string, string];
const port = Number(portText);
const expected = Number(expectedText);
const IDLE_MS = 5_000;
const RETENTION: RetentionSettings = { maxPerTopic: 1_000_000, maxBytes: 1_000_000_000_000, maxAgeSeconds: 0 };

let peakRss = 0;
let peakHeap = 0;
const sampleMemory = (): void => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
};

/** Where a run is: counts and the CPU and clock readings at its first message. */
interface Progress {
  received: number;
  firstAt: number;
  lastAt: number;
  cpuAtFirst?: NodeJS.CpuUsage;
  threadCpuAtFirst?: NodeJS.CpuUsage;
}

const started = (progress: Progress): void => {
  progress.firstAt = performance.now();
  progress.cpuAtFirst = process.cpuUsage();
  progress.threadCpuAtFirst = process.threadCpuUsage();
};

/** Resolves when `done()` holds, or nothing new arrived for IDLE_MS (then some were lost upstream). */
function settle(progress: Progress, done: () => boolean, poll: () => void = () => undefined, everyMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      poll();
      const idle = progress.received > 0 && performance.now() - progress.lastAt > IDLE_MS;
      if (done() || idle) {
        clearInterval(check);
        resolve();
      }
    }, everyMs);
  });
}

function finish(progress: Progress, extra: Partial<SubscriberResult> & { storedMs: number; stored: number }): SubscriberResult {
  const cpu = process.cpuUsage(progress.cpuAtFirst);
  const threadCpu = process.threadCpuUsage(progress.threadCpuAtFirst);
  const { received } = progress;
  return {
    mode,
    received,
    receiveMs: progress.lastAt - progress.firstAt,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    diskBytes: 0,
    deltas: { count: 0, perSecond: 0, meanNodes: 0, meanBytes: 0 },
    backpressureSamples: 0,
    cpuUsPerMessage: received > 0 ? (cpu.user + cpu.system) / received : 0,
    mainThreadCpuUsPerMessage: received > 0 ? (threadCpu.user + threadCpu.system) / received : 0,
    ...extra,
  };
}

async function runCeiling(): Promise<SubscriberResult> {
  const progress: Progress = { received: 0, firstAt: 0, lastAt: 0 };
  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, clientId: `bench-ceiling-${process.pid}` });
  client.handleMessage = (_packet, done) => {
    if (progress.received === 0) started(progress);
    progress.lastAt = performance.now();
    progress.received++;
    done();
  };
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync('bench/#', { qos: 0 });
  const sampler = setInterval(sampleMemory, 50);
  process.send?.({ type: 'ready' });
  await settle(progress, () => progress.received >= expected);
  clearInterval(sampler);
  const result = finish(progress, { storedMs: progress.lastAt - progress.firstAt, stored: progress.received });
  await client.endAsync();
  return result;
}

async function runEngine(): Promise<SubscriberResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'topograph-bench-'));
  const engine = new Engine({ dataDir, host: 'web', version: 'bench', secretBox: plainSecretBox });
  const ask = async <T>(method: string, params: unknown): Promise<T> => {
    const result = await engine.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
  const deltas = { count: 0, nodes: 0, bytes: 0 };
  // What a host does with each batch: serialize it for the WebSocket.
  engine.onDidEmit((batch) => {
    const text = toWire(batch);
    for (const event of batch) {
      if (event.type !== 'tree.delta') continue;
      deltas.count++;
      deltas.nodes += event.delta.nodes.length;
    }
    if (batch.some((event) => event.type === 'tree.delta')) deltas.bytes += text.length;
  });
  const profile = await ask<ProfileView>('profiles.save', {
    profile: { name: 'Engine bench', host: '127.0.0.1', port, protocolVersion: 5, subscriptions: [{ filter: 'bench/#', qos: 0 }], retention: RETENTION },
  });
  const id = profile.id;
  await ask('connection.open', { connectionId: id });
  // Ready once the broker granted the subscription.
  for (;;) {
    const sessions = await ask<{ connectionId: string; state: string; subscriptions: { status: string }[] }[]>('connection.list', {});
    const session = sessions.find((s) => s.connectionId === id);
    if (session?.state === 'error') throw new Error('The engine could not connect to the benchmark broker.');
    if (session?.state === 'connected' && session.subscriptions.every((sub) => sub.status === 'granted')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const progress: Progress = { received: 0, firstAt: 0, lastAt: 0 };
  let current: ConnectionStats | undefined;
  let backpressureSamples = 0;
  let expanded = false;
  const read = async (): Promise<void> => {
    current = (await ask<ConnectionStats[]>('connection.stats', {})).find((s) => s.connectionId === id);
    if (current === undefined) return;
    if (current.messages > progress.received) {
      if (progress.received === 0) started(progress);
      progress.received = current.messages;
      progress.lastAt = performance.now();
    }
  };
  const sampler = setInterval(() => {
    sampleMemory();
    if (current?.backpressure === true) backpressureSamples++;
  }, 50);
  process.send?.({ type: 'ready' });
  // Polled every 5 ms: the first message is seen within 5 ms of its arrival.
  let reading = false;
  const poll = (): void => {
    if (reading) return;
    reading = true;
    void read().finally(() => (reading = false));
    // A person looking at the tree: the top levels are expanded once they exist.
    if (!expanded && progress.received >= 1000) {
      expanded = true;
      void ask<{ id: number; name: string }[]>('tree.children', { connectionId: id, nodeId: 0 }).then(async (top) => {
        const bench = top.find((node) => node.name === 'bench');
        if (bench === undefined) return;
        for (const area of await ask<{ id: number }[]>('tree.children', { connectionId: id, nodeId: bench.id })) await ask('tree.children', { connectionId: id, nodeId: area.id });
      });
    }
  };
  await settle(progress, () => progress.received >= expected, poll, 5);
  // Until the store has written every message received.
  await settle(progress, () => current !== undefined && current.stored >= progress.received && current.writingBehind === 0, poll, 5);
  const storedMs = performance.now() - progress.firstAt;
  sampleMemory();
  clearInterval(sampler);
  const result = finish(progress, {
    storedMs,
    stored: current?.stored ?? 0,
    backpressureSamples,
    deltas: {
      count: deltas.count,
      perSecond: storedMs > 0 ? deltas.count / (storedMs / 1000) : 0,
      meanNodes: deltas.count > 0 ? deltas.nodes / deltas.count : 0,
      meanBytes: deltas.count > 0 ? deltas.bytes / deltas.count : 0,
    },
  });
  await engine.close();

  // The restart path: the profile's store reopened from disk, its tree rebuilt; then the queries.
  const hub = new EventHub(100);
  const reopenStart = performance.now();
  const part = createDataPart(
    { dataDir, host: 'web', version: 'bench', events: hub, problems: [], onFlush: (produce) => hub.addProducer(produce) },
    { profiles: { get: (profileId) => ({ id: profileId, retention: RETENTION }) as ProfileView, secret: async () => undefined }, sessions: { live: () => { throw new Error('no sessions in the benchmark'); } } },
  );
  const recorder = part.recording.recorder(id, RETENTION) as Recorder;
  result.reopenMs = performance.now() - reopenStart;
  result.queries = runQueries(recorder);
  recorder.store.db.pragma('wal_checkpoint(TRUNCATE)');
  result.diskBytes = recorder.store.db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').pluck().get() as number;
  await part.close();
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

(mode === 'engine' ? runEngine() : runCeiling()).then(
  (result) => {
    process.send?.({ type: 'result', result });
    setTimeout(() => process.exit(0), 50);
  },
  (error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    setTimeout(() => process.exit(1), 50);
  },
);
