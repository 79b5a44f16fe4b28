// Deleting a profile takes its connection, recorded messages, publish history and the messages
// saved for it alone with it: the profiles part alone
// (what it asks of the others) and the whole engine on a real broker and real SQLite files.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, SavedMessage } from '../../../electron/common/api';
import type { ProfileView } from '../../../electron/common/model';
import type { ConnectionStats, SessionStatus } from '../../../electron/common/session';
import { storeFileName, storeFiles } from '../../../electron/core/data';
import { Engine } from '../../../electron/core/engine';
import { fileNameFor } from '../../../electron/core/publish/history';
import { plainSecretBox } from '../../../electron/core/profiles/secret-box';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { local, openPart, removeTempDirs, tempDataDir } from './helpers';

describe('profiles.delete in the profiles part', () => {
  afterEach(removeTempDirs);

  it('asks the other parts to forget the profile once it is no longer listed', async () => {
    const listedWhenForgotten: string[][] = [];
    const t = openPart(tempDataDir(), undefined, {
      forget: async () => {
        listedWhenForgotten.push((await t.call('profiles.list', {})).map((p) => p.id));
      },
    });
    const a = await t.call('profiles.save', { profile: { ...local, name: 'A' } });
    const b = await t.call('profiles.save', { profile: { ...local, name: 'B' } });
    await t.call('profiles.delete', { id: a.id });
    expect(listedWhenForgotten).toEqual([[b.id]]);
  });

  it('forgets nothing for an unknown profile', async () => {
    const forgotten: string[] = [];
    const t = openPart(tempDataDir(), undefined, { forget: async (id) => void forgotten.push(id) });
    const failure = await t.failure('profiles.delete', { id: 'no-such-profile' });
    expect(failure.code).toBe('not-found');
    expect(forgotten).toEqual([]);
  });
});

describe('profiles.delete in the engine', () => {
  let broker: MosquittoBroker | undefined;
  let engine: Engine | undefined;
  let dataDir = '';
  const events: EngineEvent[] = [];

  const start = (): Engine => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'topograph-delete-'));
    engine = new Engine({ dataDir, host: 'web', version: 'test', secretBox: plainSecretBox, flushMs: 20 });
    engine.onDidEmit((batch) => events.push(...batch));
    return engine;
  };
  const call = async <T>(method: string, params: unknown): Promise<T> => {
    const result = await (engine as Engine).call(method, params);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
    return result.value as T;
  };
  const filesOf = (id: string): string[] => storeFiles(path.join(dataDir, 'messages', storeFileName(id)));
  const historyFilesOf = (id: string): string[] => storeFiles(path.join(dataDir, 'publish', fileNameFor(id)));
  const savedScopesOnDisk = (): string[] =>
    Object.keys((JSON.parse(readFileSync(path.join(dataDir, 'publish', 'saved-messages.json'), 'utf8')) as { scopes: Record<string, unknown> }).scopes);
  const saveMessage = (scope: string, name: string): Promise<SavedMessage> =>
    call<SavedMessage>('saved.save', { scope, message: { name, topic: `saved/${name}`, payload: { format: 'text', value: name }, qos: 0 } });

  afterEach(async () => {
    await engine?.close();
    await broker?.stop();
    engine = undefined;
    broker = undefined;
    events.length = 0;
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(stopAll);

  it('disconnects a connected profile and removes its message store files', async () => {
    broker = await startMosquitto();
    start();
    const profile = await call<ProfileView>('profiles.save', {
      profile: { name: 'Doomed', host: broker.host, port: broker.port, subscriptions: [{ filter: 'doomed/#', qos: 1 }] },
    });
    await call('connection.open', { connectionId: profile.id });
    for (const n of [1, 2, 3]) await mosquittoPub(['-h', broker.host, '-p', String(broker.port), '-q', '1', '-t', `doomed/t${n}`, '-m', `m${n}`]);
    await expect
      .poll(async () => (await call<ConnectionStats[]>('connection.stats', {})).find((s) => s.connectionId === profile.id)?.stored, { timeout: 10_000 })
      .toBe(3);
    const [database, wal, shm] = filesOf(profile.id);
    for (const file of [database, wal, shm]) expect(existsSync(file as string), file).toBe(true);
    await call('publish.send', { connectionId: profile.id, message: { topic: 'doomed/sent', payload: { format: 'text', value: 'x' }, qos: 1 } });
    const [history] = historyFilesOf(profile.id);
    expect(existsSync(history as string)).toBe(true);
    await saveMessage(profile.id, 'Own');
    const shared = await saveMessage('app', 'Shared');
    expect(savedScopesOnDisk().sort()).toEqual(['app', profile.id].sort());

    await call('profiles.delete', { id: profile.id });

    for (const file of filesOf(profile.id)) expect(existsSync(file), file).toBe(false);
    for (const file of historyFilesOf(profile.id)) expect(existsSync(file), file).toBe(false);
    // Only the profile's own scope goes: messages saved for all profiles stay.
    expect(savedScopesOnDisk()).toEqual(['app']);
    expect(await call<SavedMessage[]>('saved.list', { scope: 'app' })).toEqual([shared]);
    expect(await call<ProfileView[]>('profiles.list', {})).toEqual([]);
    expect(await call<SessionStatus[]>('connection.list', {})).toEqual([]);
    // Nothing reopens the store: the deleted profile's tree is not found, not recreated empty.
    const tree = await (engine as Engine).call('tree.children', { connectionId: profile.id, nodeId: 0 });
    expect(tree).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(existsSync(database as string)).toBe(false);
    expect(events.filter((e) => e.type === 'app.problem')).toEqual([]);
  });

  it('deletes the profile even when a store file cannot be removed, and names that file in a problem', async () => {
    start();
    const profile = await call<ProfileView>('profiles.save', { profile: { ...local, name: 'Stuck' } });
    const [database, wal] = filesOf(profile.id);
    mkdirSync(path.dirname(database as string), { recursive: true });
    writeFileSync(database as string, 'recorded in an earlier run');
    // A non-empty folder where the WAL file belongs cannot be removed as a file, even by root.
    mkdirSync(wal as string);
    writeFileSync(path.join(wal as string, 'inside'), 'x');

    await call('profiles.delete', { id: profile.id });

    expect(await call<ProfileView[]>('profiles.list', {})).toEqual([]);
    expect(existsSync(database as string)).toBe(false);
    await expect.poll(() => events.flatMap((e) => (e.type === 'app.problem' ? [e.message] : []))).toEqual([expect.stringContaining(wal as string)]);
    expect(events.find((e) => e.type === 'app.problem')).toMatchObject({ message: expect.stringContaining('by hand') });
  });

  it('deletes the profile even when a publish history file cannot be removed, and names that file in a problem', async () => {
    start();
    const profile = await call<ProfileView>('profiles.save', { profile: { ...local, name: 'Stuck history' } });
    const [history, wal] = historyFilesOf(profile.id);
    mkdirSync(path.dirname(history as string), { recursive: true });
    writeFileSync(history as string, 'written in an earlier run');
    mkdirSync(wal as string);
    writeFileSync(path.join(wal as string, 'inside'), 'x');

    await call('profiles.delete', { id: profile.id });

    expect(await call<ProfileView[]>('profiles.list', {})).toEqual([]);
    expect(existsSync(history as string)).toBe(false);
    await expect.poll(() => events.flatMap((e) => (e.type === 'app.problem' ? [e.message] : []))).toEqual([expect.stringContaining(wal as string)]);
    expect(events.find((e) => e.type === 'app.problem')).toMatchObject({ message: expect.stringContaining('publish history') });
    // The problem is kept for a window that opens later, as the publish part's other problems are.
    expect((await call<{ problems: string[] }>('app.info', {})).problems).toEqual([expect.stringContaining(wal as string)]);
  });
});
