// Backpressure, not loss: a flooding mosquitto_pub in its own process, a real Mosquitto, a bare
// mqtt.js client routing handleMessage into the recorder, and a real SQLite file.
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/common/api';
import { DEFAULT_LIMITS, type Recorder, type RecorderLimits } from '../../../electron/core/data';
import type { ConnectionRecorder } from '../../../electron/core/services';
import { binaryPath, startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { spawnTracked } from '../../harness/processes';
import { cleanUp, RETENTION, recordingClient, startDataPart, tempDataDir, waitFor } from './helpers';

let broker: MosquittoBroker | undefined;
afterEach(async () => {
  await cleanUp();
  await broker?.stop();
  broker = undefined;
});
afterAll(stopAll);

// The broker keeps what the recorder is not reading yet instead of dropping it.
const startBroker = async (): Promise<MosquittoBroker> => (broker = await startMosquitto({ extraConfig: ['max_queued_messages 0'] }));

/** mosquitto_pub -l publishes each stdin line as one message, as fast as the broker takes them. */
function flood(port: number, topic: string, count: number): Promise<void> {
  const child: ChildProcess = spawnTracked(binaryPath('mosquitto_pub'), ['-h', '127.0.0.1', '-p', String(port), '-V', '5', '-q', '1', '-t', topic, '-l'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`{"seq":${i},"pad":"${'x'.repeat(100)}"}`);
  child.stdin?.end(`${lines.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited with ${String(code)}: ${stderr}`))));
  });
}

/** Wraps the recorder to watch the hot path: the queue's high mark and any call made while held. */
function watch(recorder: Recorder): { probe: ConnectionRecorder; maxQueued: () => number; heldTimes: () => number; readWhileHeld: () => number } {
  let maxQueued = 0;
  let heldTimes = 0;
  let readWhileHeld = 0;
  const probe: ConnectionRecorder = {
    record: (message, resume) => {
      if (recorder.backpressure) readWhileHeld++;
      recorder.record(message, resume);
      maxQueued = Math.max(maxQueued, recorder.store.queue.length);
      if (recorder.backpressure) heldTimes++;
    },
  };
  return { probe, maxQueued: () => maxQueued, heldTimes: () => heldTimes, readWhileHeld: () => readWhileHeld };
}

function storedSeqs(recorder: Recorder): Set<number> {
  const rows = recorder.store.db.prepare('SELECT payload FROM messages').all() as { payload: Buffer }[];
  return new Set(rows.map((row) => (JSON.parse(row.payload.toString('utf8')) as { seq: number }).seq));
}

const small = (overrides: Partial<RecorderLimits>): RecorderLimits => ({ ...DEFAULT_LIMITS, highBytes: 1 << 30, lowBytes: 1 << 30, ...overrides });

describe('recorder backpressure', () => {
  it('stops reading the socket while the store is behind, stays bounded, and stores every flooded message', async () => {
    const b = await startBroker();
    // Writes only on a slow timer, so the flood outruns the store and the bound is what stops it.
    const limits = small({ writeIntervalMs: 400, batchRows: 1_000_000, highRows: 1_000, lowRows: 200 });
    const h = startDataPart(tempDataDir(), { limits });
    const recorder = h.part.recording.recorder('flood', RETENTION) as Recorder;
    const watcher = watch(recorder);
    await recordingClient(b.port, 'flood/#', watcher.probe, 1);

    const total = 12_000;
    await flood(b.port, 'flood/a', total);
    await waitFor(() => recorder.store.stored === total && recorder.store.queue.length === 0, `all ${total} messages stored`, 60_000);

    expect(watcher.heldTimes()).toBeGreaterThan(0);
    // mqtt.js did not hand over another message while the recorder held its callback...
    expect(watcher.readWhileHeld()).toBe(0);
    // ...so the queue never grew past its bound.
    expect(watcher.maxQueued()).toBeLessThanOrEqual(limits.highRows);
    expect(recorder.backpressure).toBe(false);
    const seqs = storedSeqs(recorder);
    expect(seqs.size).toBe(total);
    expect(Math.min(...seqs)).toBe(0);
    expect(Math.max(...seqs)).toBe(total - 1);
    expect(recorder.tree.find('flood/a')?.messages).toBe(total);
  });

  it('reports a store failure once, keeps the tree live, holds the socket, and writes everything after recovery', async () => {
    const b = await startBroker();
    const limits = small({ writeIntervalMs: 20, batchRows: 100, highRows: 1_000, lowRows: 200, firstRetryMs: 50, maxRetryMs: 200 });
    const h = startDataPart(tempDataDir(), { limits });
    const recorder = h.part.recording.recorder('failing', RETENTION) as Recorder;
    const watcher = watch(recorder);
    await recordingClient(b.port, 'fail/#', watcher.probe, 1);

    // A disk that is full: SQLite may not grow the file by a single page.
    const pages = (await recorder.store.writerPragma('page_count')) as number;
    await recorder.store.writerPragma(`max_page_count = ${pages}`);
    const total = 4_000;
    const flooding = flood(b.port, 'fail/x', total);
    await waitFor(() => recorder.backpressure, 'the recorder to hold the socket');
    // Several retries fail meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 600));
    h.flush();
    const problems = h.events.filter((e): e is Extract<EngineEvent, { type: 'app.problem' }> => e.type === 'app.problem');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/disk is full.*retries writing.*shown in the tree but not recorded/);
    const stats = h.part.stats()[0];
    // A first small batch may still fit the free space of the pages the file already has.
    const storedBefore = stats?.stored ?? 0;
    expect(stats).toMatchObject({ connectionId: 'failing', backpressure: true });
    expect(storedBefore).toBeLessThan(limits.highRows);
    expect(stats?.storeError).toMatch(/disk is full/);
    expect(stats?.writingBehind).toBeGreaterThanOrEqual(limits.highRows);
    // The tree kept counting what arrived.
    expect(recorder.tree.find('fail/x')?.messages).toBe((stats?.writingBehind ?? 0) + storedBefore);
    expect(watcher.maxQueued()).toBeLessThanOrEqual(limits.highRows);

    await recorder.store.writerPragma('max_page_count = 1073741823');
    await flooding;
    await waitFor(() => recorder.store.stored === total, `all ${total} messages stored after recovery`, 60_000);
    expect(storedSeqs(recorder).size).toBe(total);
    expect(h.part.stats()[0]?.storeError).toBeUndefined();
    expect(watcher.readWhileHeld()).toBe(0);
    h.flush();
    expect(h.events.filter((e) => e.type === 'app.problem')).toHaveLength(1);
  });

  it('stops holding the socket when the store keeps failing: the tree stays live, the overflow is counted and reported', async () => {
    const b = await startBroker();
    const limits = small({ writeIntervalMs: 20, batchRows: 100, highRows: 500, lowRows: 100, firstRetryMs: 50, maxRetryMs: 200, failureHoldMs: 300 });
    const h = startDataPart(tempDataDir(), { limits });
    const recorder = h.part.recording.recorder('full-disk', RETENTION) as Recorder;
    await recordingClient(b.port, 'full/#', recorder, 1);

    const pages = (await recorder.store.writerPragma('page_count')) as number;
    await recorder.store.writerPragma(`max_page_count = ${pages}`);
    const total = 3_000;
    await flood(b.port, 'full/x', total);
    // Every message reaches the tree although the store took none of them after the first failure.
    await waitFor(() => recorder.tree.find('full/x')?.messages === total, 'the tree to count every message', 30_000);
    const failing = h.part.stats()[0];
    // A first small batch may still fit the free space of the pages the file already has.
    const storedBefore = failing?.stored ?? 0;
    expect(failing).toMatchObject({ backpressure: false });
    expect(storedBefore).toBeLessThan(limits.highRows);
    expect(failing?.storeError).toMatch(/disk is full/);
    expect(failing?.writingBehind).toBeLessThanOrEqual(limits.highRows);
    expect((failing?.writingBehind ?? 0) + (failing?.unrecorded ?? 0) + storedBefore).toBe(total);
    const unrecorded = failing?.unrecorded ?? 0;
    expect(unrecorded).toBeGreaterThan(0);

    await recorder.store.writerPragma('max_page_count = 1073741823');
    await waitFor(() => recorder.store.stored === total - unrecorded && recorder.store.queue.length === 0, 'the queued messages to be written', 30_000);
    h.flush();
    const problems = h.events.filter((e): e is Extract<EngineEvent, { type: 'app.problem' }> => e.type === 'app.problem').map((e) => e.message);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toContain(`${unrecorded.toLocaleString('en-US')} messages received since`);
    expect(h.part.stats()[0]?.unrecorded).toBeUndefined();
    expect(h.part.stats()[0]?.storeError).toBeUndefined();
  });
});
