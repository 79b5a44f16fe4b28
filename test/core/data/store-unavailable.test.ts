// A message store that cannot open must not take the connection down: the engine wired whole, a real
// Mosquitto, and a data folder whose `messages` folder is a plain file (root ignores chmod, so a
// read-only file would not stop these tests). The connection stays up, the tree counts what
// arrives, the failure is reported once, and recording starts once the obstacle is gone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/common/api';
import type { ConnectionStats, SessionStatus } from '../../../electron/common/session';
import { DEFAULT_LIMITS, type Recorder } from '../../../electron/core/data';
import { Engine } from '../../../electron/core/engine';
import { plainSecretBox } from '../../../electron/core/profiles/secret-box';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { call, cleanUp, RETENTION, recordingClient, startDataPart, tempDataDir, waitFor } from './helpers';

let broker: MosquittoBroker;
let engine: Engine;
let dataDir: string;
const events: EngineEvent[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  dataDir = mkdtempSync(join(tmpdir(), 'topograph-nostore-'));
  engine = new Engine({ dataDir, host: 'web', version: 'test', secretBox: plainSecretBox, flushMs: 30 });
  engine.onDidEmit((batch) => events.push(...batch));
});
afterAll(async () => {
  await cleanUp();
  await engine?.close();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await stopAll();
});

const publish = async (topic: string, payload: string): Promise<void> => {
  await mosquittoPub(['-h', broker.host, '-p', String(broker.port), '-q', '1', '-t', topic, '-m', payload]);
};

async function statsOf(id: string): Promise<ConnectionStats | undefined> {
  const stats = await engine.call('connection.stats', {});
  return stats.ok ? (stats.value as ConnectionStats[]).find((s) => s.connectionId === id) : undefined;
}

async function stateOf(id: string): Promise<string | undefined> {
  const list = await engine.call('connection.list', {});
  return list.ok ? (list.value as SessionStatus[]).find((s) => s.connectionId === id)?.state : undefined;
}

const problems = (): string[] => events.flatMap((e) => (e.type === 'app.problem' ? [e.message] : []));

describe('a message store that cannot open', () => {
  it('keeps the connection and the tree live, reports once, counts messages as not recorded, and records once it opens', async () => {
    // The store lives in <dataDir>/messages/<id>.sqlite; a file in the folder's place stops it opening.
    writeFileSync(join(dataDir, 'messages'), 'not a folder');
    const saved = await engine.call('profiles.save', { profile: { name: 'No store', host: broker.host, port: broker.port, subscriptions: [{ filter: 'nostore/#', qos: 1 }] } });
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.value as { id: string }).id;

    const opened = await engine.call('connection.open', { connectionId: id });
    expect(opened).toMatchObject({ ok: true, value: { state: 'connected' } });
    for (const n of [1, 2, 3]) await publish(`nostore/t${n % 2}`, `before ${n}`);

    await expect.poll(() => statsOf(id), { timeout: 10_000 }).toMatchObject({ connectionId: id, messages: 3, topics: 2, stored: 0, unrecorded: 3 });
    const failing = await statsOf(id);
    expect(failing?.storeError).toMatch(/could not be opened .*Until it opens, the topic tree stays live but received messages are not recorded/);
    expect(await stateOf(id)).toBe('connected');
    const found = await engine.call('tree.find', { connectionId: id, topic: 'nostore/t1' });
    expect(found).toMatchObject({ ok: true, value: { messages: 2 } });
    // Reading history says why there is none, rather than failing obscurely.
    const history = await engine.call('messages.history', { connectionId: id, topic: 'nostore/t1' });
    expect(history).toMatchObject({ ok: false, error: { code: 'storage' } });
    // Retries keep failing meanwhile, but the person is told once.
    expect(problems().filter((p) => p.includes('could not be opened ('))).toHaveLength(1);

    rmSync(join(dataDir, 'messages'));
    await expect.poll(async () => (await statsOf(id))?.storeError, { timeout: 20_000 }).toBeUndefined();
    for (const n of [4, 5]) await publish('nostore/t1', `after ${n}`);

    await expect.poll(async () => (await statsOf(id))?.stored, { timeout: 10_000 }).toBe(2);
    const recovered = await statsOf(id);
    expect(recovered).toMatchObject({ messages: 5, topics: 2 });
    expect(recovered?.unrecorded).toBeUndefined();
    const after = await engine.call('messages.history', { connectionId: id, topic: 'nostore/t1' });
    expect(after.ok && (after.value as { id: number }[]).length).toBe(2);
    expect(problems().some((p) => p.includes('is open now and records again. 3 messages received since'))).toBe(true);
    expect(await stateOf(id)).toBe('connected');
    expect(problems().filter((p) => p.includes('could not be opened ('))).toHaveLength(1);
  });

  it('opening late keeps the live tree, adds the topics on disk, and never reuses a stored message id', async () => {
    const dir = tempDataDir();
    const first = startDataPart(dir);
    const before = first.part.recording.recorder('late', RETENTION) as Recorder;
    await recordingClient(broker.port, 'late/#', before);
    for (const [topic, payload] of [['late/a', 'disk a'], ['late/c', 'disk c']] as const) await publish(topic, payload);
    await waitFor(() => before.tree.root.subtreeMessages === 2, 'two messages on disk');
    await first.close();

    // A directory where SQLite's write-ahead log goes: the existing file cannot be opened.
    const wal = join(dir, 'messages', 'late.sqlite-wal');
    mkdirSync(wal);
    const second = startDataPart(dir, { limits: { ...DEFAULT_LIMITS, firstRetryMs: 50, maxRetryMs: 200 } });
    const recorder = second.part.recording.recorder('late', RETENTION) as Recorder;
    await recordingClient(broker.port, 'late/#', recorder);
    for (const topic of ['late/a', 'late/b']) await publish(topic, 'live');
    await waitFor(() => recorder.tree.root.subtreeMessages === 2, 'the live messages in the tree');
    expect(second.part.stats()[0]).toMatchObject({ stored: 0, unrecorded: 2 });
    await expect(call(second.part, 'messages.latest', { connectionId: 'late', topic: 'late/a' })).rejects.toMatchObject({ code: 'storage' });

    rmSync(wal, { recursive: true });
    await waitFor(() => second.part.stats()[0]?.storeError === undefined, 'the store to open');
    // late/c comes from disk; late/a shows this run's message and keeps its stored history.
    expect(recorder.tree.find('late/c')).toMatchObject({ messages: 1, recorded: true });
    expect(recorder.tree.find('late/a')?.messages).toBe(1);
    const unrecorded = recorder.tree.find('late/a')?.lastId ?? -1;
    await expect(call(second.part, 'messages.get', { connectionId: 'late', id: unrecorded })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/could not be opened, so it was not recorded/) });
    const history = await call(second.part, 'messages.history', { connectionId: 'late', topic: 'late/a' });
    expect(history.map((m) => m.preview)).toEqual(['disk a']);

    await publish('late/b', 'stored');
    await waitFor(() => second.part.stats()[0]?.stored === 3, 'the new message stored');
    const latest = await call(second.part, 'messages.latest', { connectionId: 'late', topic: 'late/b' });
    expect(Buffer.from(latest?.payload ?? []).toString()).toBe('stored');
    const node = await call(second.part, 'tree.find', { connectionId: 'late', topic: 'late/b' });
    const byTreeId = await call(second.part, 'messages.get', { connectionId: 'late', id: node?.last?.id ?? -1 });
    expect(Buffer.from(byTreeId.payload).toString()).toBe('stored');
    expect(Math.min(...history.map((m) => m.id))).toBeLessThan(byTreeId.id);
  });
});
