/**
 * One measured subscriber, in a process of its own so its memory figures are its own.
 * `ceiling`: a bare mqtt.js client that only counts (what the machine can receive at all).
 * `engine`: the same client feeding the data part's recorder, with the tree, the SQLite store and
 * the 100 ms event flush on, as the connection part drives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IPublishPacket } from 'mqtt';
import type { ProfileView, RetentionSettings } from '../../electron/common/model';
import { createDataPart, type Recorder } from '../../electron/core/data';
import { EventHub } from '../../electron/core/events';
import type { ReceivedMessage } from '../../electron/core/services';
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
}

const [mode, portText, expectedText] = process.argv.slice(2) as ['ceiling' | 'engine', string, string];
const port = Number(portText);
const expected = Number(expectedText);
const IDLE_MS = 5_000;

let peakRss = 0;
let peakHeap = 0;
const sampleMemory = (): void => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
};

let received = 0;
let firstAt = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;
let threadCpuAtFirst: NodeJS.CpuUsage | undefined;
let lastAt = 0;

function toReceived(packet: IPublishPacket): ReceivedMessage {
  return {
    topic: packet.topic,
    payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    properties: {},
    time: Date.now(),
  };
}

async function main(): Promise<void> {
  const hub = new EventHub(100);
  const deltas = { count: 0, nodes: 0, bytes: 0 };
  let dataDir: string | undefined;
  let recorder: Recorder | undefined;
  let backpressureSamples = 0;
  let close = async (): Promise<void> => {};

  if (mode === 'engine') {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'topograph-bench-'));
    const retention: RetentionSettings = { maxPerTopic: 1_000_000, maxBytes: 1_000_000_000_000, maxAgeSeconds: 0 };
    const part = createDataPart(
      { dataDir, host: 'web', version: 'bench', events: hub, problems: [], onFlush: (produce) => hub.addProducer(produce) },
      { profiles: { get: (id) => ({ id, retention }) as ProfileView, secret: async () => undefined }, sessions: { live: () => { throw new Error('no sessions in the benchmark'); } } },
    );
    recorder = part.recording.recorder('bench', retention) as Recorder;
    // What a host does with each batch: serialize it for IPC or the WebSocket.
    hub.onDidEmit((batch) => {
      for (const event of batch) {
        if (event.type !== 'tree.delta') continue;
        deltas.count++;
        deltas.nodes += event.delta.nodes.length;
        deltas.bytes += JSON.stringify(event.delta).length;
      }
    });
    hub.start();
    close = async () => {
      hub.stop();
      await part.close();
    };
  }

  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, clientId: `bench-${mode}-${process.pid}` });
  const rec = recorder;
  let expanded = false;
  client.handleMessage = (packet, done) => {
    const now = performance.now();
    if (received === 0) {
      firstAt = now;
      cpuAtFirst = process.cpuUsage();
      threadCpuAtFirst = process.threadCpuUsage();
    }
    lastAt = now;
    received++;
    if (rec === undefined) {
      done();
      return;
    }
    rec.record(toReceived(packet), () => done());
    // A person looking at the tree: the top levels are expanded once they exist.
    if (!expanded && received === 1000) {
      expanded = true;
      const bench = rec.tree.find('bench');
      if (bench !== undefined) for (const view of rec.tree.children(bench.id) ?? []) rec.tree.children(view.id);
    }
  };
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync('bench/#', { qos: 0 });
  const sampler = setInterval(() => {
    sampleMemory();
    if (rec?.backpressure === true) backpressureSamples++;
  }, 50);
  process.send?.({ type: 'ready' });

  // Done when every message arrived, or nothing arrived for IDLE_MS (then some were lost upstream).
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      const idle = received > 0 && performance.now() - lastAt > IDLE_MS;
      if (received >= expected || idle) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const receiveMs = lastAt - firstAt;
  let storedMs = receiveMs;
  let stored = received;
  let diskBytes = 0;
  let queries: QueryFigures | undefined;
  let cpu = process.cpuUsage(cpuAtFirst);
  let threadCpu = process.threadCpuUsage(threadCpuAtFirst);
  if (rec !== undefined) {
    while (rec.store.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    storedMs = performance.now() - firstAt;
    stored = rec.store.stored;
    cpu = process.cpuUsage(cpuAtFirst);
    threadCpu = process.threadCpuUsage(threadCpuAtFirst);
    sampleMemory();
    clearInterval(sampler);
    queries = runQueries(rec);
    rec.store.db.pragma('wal_checkpoint(TRUNCATE)');
    diskBytes = rec.store.db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').pluck().get() as number;
  }
  clearInterval(sampler);
  await client.endAsync();
  await close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });

  const seconds = storedMs / 1000;
  const result: SubscriberResult = {
    mode,
    received,
    receiveMs,
    storedMs,
    stored,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    diskBytes,
    deltas: {
      count: deltas.count,
      perSecond: seconds > 0 ? deltas.count / seconds : 0,
      meanNodes: deltas.count > 0 ? deltas.nodes / deltas.count : 0,
      meanBytes: deltas.count > 0 ? deltas.bytes / deltas.count : 0,
    },
    backpressureSamples,
    cpuUsPerMessage: received > 0 ? (cpu.user + cpu.system) / received : 0,
    mainThreadCpuUsPerMessage: received > 0 ? (threadCpu.user + threadCpu.system) / received : 0,
    ...(queries === undefined ? {} : { queries }),
  };
  process.send?.({ type: 'result', result });
  setTimeout(() => process.exit(0), 50);
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 50);
});
