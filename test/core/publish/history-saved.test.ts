// The publish history (real SQLite files) and saved messages (real JSON files), persisted across
// a restart of the part.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PublishHistoryEntry, SavedMessage } from '../../../electron/common/api';
import { fileNameFor, PublishHistory } from '../../../electron/core/publish/history';
import { startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { connect, makeRig, rawSubscriber, text, type PublishRig } from './helpers';

const dirs: string[] = [];
const rigs: PublishRig[] = [];
const brokers: MosquittoBroker[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'topograph-publish-files-'));
  dirs.push(dir);
  return dir;
}
async function rigIn(dir: string): Promise<PublishRig> {
  const r = await makeRig({}, dir);
  rigs.push(r);
  r.profiles.add('p', { host: '127.0.0.1', port: 1 });
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(stopAll);

describe('publish history', () => {
  it('keeps every publish with its outcome, finds it by topic or payload, survives a restart and can be sent again', async () => {
    const dir = await tempDir();
    const b = await startMosquitto();
    brokers.push(b);
    const r = await rigIn(dir);
    await connect(r, 'live', b);
    await r.ok('publish.send', { connectionId: 'live', message: { topic: 'kitchen/lamp', payload: text('ON'), qos: 1 } });
    await r.ok('publish.send', {
      connectionId: 'live',
      message: { topic: 'garage/door', payload: { format: 'json', value: '{"state":"Open"}' }, qos: 0, retain: true, properties: { correlationData: new Uint8Array([7, 0, 255]) } },
    });

    const all = await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'live' });
    expect(all.map((e) => e.request.topic)).toEqual(['garage/door', 'kitchen/lamp']);
    expect(all[1]?.outcome).toMatchObject({ kind: 'acknowledged', reasonCode: 0x10 });
    expect(all[0]?.outcome).toMatchObject({ kind: 'sent' });
    expect((await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'live', query: 'LAMP' })).map((e) => e.request.topic)).toEqual(['kitchen/lamp']);
    expect((await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'live', query: '"open"' })).map((e) => e.request.topic)).toEqual(['garage/door']);
    expect(await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'live', query: '100%_' })).toEqual([]);

    await r.close();
    rigs.splice(rigs.indexOf(r), 1);
    const again = await rigIn(dir);
    await connect(again, 'live', b);
    const [door] = await again.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'live', query: 'garage' });
    expect(door?.request).toMatchObject({ topic: 'garage/door', retain: true, payload: { format: 'json', value: '{"state":"Open"}' } });
    expect([...(door?.request.properties.correlationData ?? [])]).toEqual([7, 0, 255]);

    // Sending the stored request again sends the same message.
    const sub = rawSubscriber(b, 'garage/door');
    const [first] = await sub.waitFor(1); // the retained original
    await again.ok('publish.send', { connectionId: 'live', message: door?.request as PublishHistoryEntry['request'] });
    const [, resent] = await sub.waitFor(2);
    await sub.stop();
    expect(resent).toMatchObject({ topic: first?.topic, payloadHex: first?.payloadHex, correlationHex: '0700ff' });
  });

  it('is bounded by count and by bytes, always keeping the newest', async () => {
    const dir = await tempDir();
    const history = new PublishHistory(dir, { maxEntries: 3, maxBytes: 2_000 });
    const request = (topic: string, size = 10) => ({ topic, payload: text('x'.repeat(size)), qos: 0 as const, retain: false, properties: {}, autoTopicAlias: false });
    for (const topic of ['a', 'b', 'c', 'd']) history.add('p', request(topic), { outcome: { kind: 'sent', packetSize: 1 } });
    expect(history.list('p', '', 100).map((e) => e.request.topic)).toEqual(['d', 'c', 'b']);
    history.add('p', request('big', 5_000), { error: 'refused' });
    expect(history.list('p', '', 100).map((e) => [e.request.topic, e.error])).toEqual([['big', 'refused']]);
    history.close();
  });

  it('reads and extends a history file written before repeat jobs were summarised', async () => {
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'publish'));
    const old = new Database(path.join(dir, 'publish', fileNameFor('p')));
    old.exec('CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, search TEXT NOT NULL, request TEXT NOT NULL, size INTEGER NOT NULL, outcome TEXT, error TEXT)');
    const request = { topic: 'old', payload: text('x'), qos: 0 as const, retain: false, properties: {}, autoTopicAlias: false };
    old.prepare('INSERT INTO history (time, search, request, size, outcome, error) VALUES (1, ?, ?, 1, NULL, NULL)').run('old', JSON.stringify(request));
    old.close();

    const history = new PublishHistory(dir);
    history.add('p', { ...request, topic: 'job' }, { repeat: { sent: 3, total: 3, intervalMs: 10, state: 'done' } });
    expect(history.list('p', '', 10).map((e) => [e.request.topic, e.repeat])).toEqual([
      ['job', { sent: 3, total: 3, intervalMs: 10, state: 'done' }],
      ['old', undefined],
    ]);
    history.close();
  });

  it('keeps each profile in its own file whose name cannot leave the folder', () => {
    expect(fileNameFor('3f2a-b_C')).toBe('3f2a-b_C.sqlite');
    expect(fileNameFor('../evil')).toBe(`x-${Buffer.from('../evil').toString('hex')}.sqlite`);
  });

  it('needs a known profile', async () => {
    const r = await rigIn(await tempDir());
    expect(await r.call('publish.history', { connectionId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('saved messages', () => {
  const message = (name: string, folder = '') => ({
    name,
    folder,
    topic: 'dev/1/cmd',
    payload: { format: 'hex' as const, value: '01 02' },
    qos: 1 as const,
    retain: true,
    properties: { contentType: 'application/octet-stream', userProperties: [{ name: 'k', value: 'v' }], correlationData: new Uint8Array([0, 9]) },
  });

  it('saves, updates, lists by folder and name, deletes, and keeps them across a restart', async () => {
    const dir = await tempDir();
    const r = await rigIn(dir);
    const reboot = await r.ok<SavedMessage>('saved.save', { scope: 'p', message: message('Reboot', 'Device') });
    await r.ok('saved.save', { scope: 'p', message: message('Blink', 'Device') });
    await r.ok('saved.save', { scope: 'p', message: message('Hello') });
    await r.ok('saved.save', { scope: 'app', message: message('Everywhere') });
    await r.ok('saved.save', { scope: 'p', message: { ...message('Reboot now', 'Device'), id: reboot.id } });
    const list = await r.ok<SavedMessage[]>('saved.list', { scope: 'p' });
    expect(list.map((m) => `${m.folder}/${m.name}`)).toEqual(['/Hello', 'Device/Blink', 'Device/Reboot now']);
    await r.ok('saved.delete', { scope: 'p', id: list[0]?.id ?? '' });
    expect(await r.call('saved.delete', { scope: 'p', id: 'gone' })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    await r.close();
    rigs.splice(rigs.indexOf(r), 1);
    const again = await rigIn(dir);
    const after = await again.ok<SavedMessage[]>('saved.list', { scope: 'p' });
    expect(after.map((m) => m.name)).toEqual(['Blink', 'Reboot now']);
    expect(after[1]).toMatchObject({ id: reboot.id, retain: true, payload: { format: 'hex', value: '01 02' }, properties: { contentType: 'application/octet-stream' } });
    expect([...(after[1]?.properties.correlationData ?? [])]).toEqual([0, 9]);
    expect((await again.ok<SavedMessage[]>('saved.list', { scope: 'app' })).map((m) => m.name)).toEqual(['Everywhere']);
    expect(readdirSync(path.join(dir, 'publish')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('exports JSON and imports it with a problem per bad entry', async () => {
    const r = await rigIn(await tempDir());
    await r.ok('saved.save', { scope: 'p', message: message('One', 'F') });
    const { json } = await r.ok<{ json: string }>('saved.export', { scope: 'p' });
    const document = JSON.parse(json) as { format: string; messages: Record<string, unknown>[] };
    expect(document.format).toBe('topograph.saved-messages');
    expect(document.messages[0]?.properties).toMatchObject({ correlationData: { $bytes: 'AAk=' } });

    document.messages.push({ name: 'Bad QoS', topic: 'a', payload: { format: 'text', value: '' }, qos: 3 });
    document.messages.push({ name: 'Wildcard', topic: 'a/#', payload: { format: 'text', value: '' }, qos: 0 });
    const result = await r.ok<{ imported: number; problems: string[] }>('saved.import', { scope: 'app', json: JSON.stringify(document) });
    expect(result.imported).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(/^Message 2 \("Bad QoS"\) was skipped: qos: /),
      'Message 3 ("Wildcard") was skipped: A topic name cannot contain the wildcards + or #; they are only for subscriptions.',
    ]);
    const [imported] = await r.ok<SavedMessage[]>('saved.list', { scope: 'app' });
    expect(imported).toMatchObject({ name: 'One', folder: 'F', topic: 'dev/1/cmd' });
    expect([...(imported?.properties.correlationData ?? [])]).toEqual([0, 9]);

    expect(await r.call('saved.import', { scope: 'app', json: '{not json' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^The file is not valid JSON/) } });
    expect(await r.call('saved.import', { scope: 'app', json: '{"x":1}' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/holds no list of saved messages/) } });
  });

  it('keeps an unreadable file aside and reports it instead of overwriting it', async () => {
    const dir = await tempDir();
    const r = await rigIn(dir);
    await r.ok('saved.save', { scope: 'p', message: message('First') });
    const file = path.join(dir, 'publish', 'saved-messages.json');
    await r.close();
    rigs.splice(rigs.indexOf(r), 1);
    writeFileSync(file, '{"version": 1, "scopes": ');

    const again = await rigIn(dir);
    expect(await again.ok<SavedMessage[]>('saved.list', { scope: 'p' })).toEqual([]);
    const aside = readdirSync(path.join(dir, 'publish')).find((f) => f.startsWith('saved-messages.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(readFileSync(path.join(dir, 'publish', aside ?? ''), 'utf8')).toBe('{"version": 1, "scopes": ');
    expect(again.events.events).toContainEqual({ type: 'app.problem', message: expect.stringMatching(/^Saved messages could not be read .* kept as /) });
    await again.ok('saved.save', { scope: 'p', message: message('Fresh') });
    expect(existsSync(file)).toBe(true);
  });

  it('needs a known profile or the app scope', async () => {
    const r = await rigIn(await tempDir());
    expect(await r.call('saved.list', { scope: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
