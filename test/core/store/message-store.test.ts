import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedProperties, RetentionSettings } from '../../../electron/common/model';
import { MessageStore, type IncomingMessage, type WriterMode } from '../../../electron/core/store';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topograph-store-'));
  dirs.push(dir);
  return path.join(dir, 'conn.sqlite');
}
const stores: MessageStore[] = [];
let mode: WriterMode = 'worker';
function open(file: string, retention: Partial<RetentionSettings> = {}): MessageStore {
  const store = MessageStore.open(file, { maxPerTopic: 1000, maxBytes: 1_000_000_000, maxAgeSeconds: 0, ...retention }, { writer: mode });
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);
function message(payload: Uint8Array | string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { payload: typeof payload === 'string' ? utf8(payload) : payload, qos: 0, retain: false, dup: false, properties: {}, time: 1_000, ...extra };
}
function put(store: MessageStore, topic: string, m: IncomingMessage): number {
  const id = store.allocateId();
  store.enqueue(id, store.topicId(topic), m);
  return id;
}

describe.each(['worker', 'inline'] as const)('MessageStore with the %s writer', (writer) => {
  beforeEach(() => {
    mode = writer;
  });

  it('keeps payload bytes, flags and v5 properties exactly, user properties in received order', async () => {
    const store = open(tempFile());
    const binary = new Uint8Array(256).map((_, i) => i);
    const properties: ReceivedProperties = {
      contentType: 'application/octet-stream',
      correlationData: new Uint8Array([0, 255, 7]),
      userProperties: [
        { name: 'b', value: '1' },
        { name: 'a', value: '2' },
        { name: 'b', value: '3' },
      ],
      messageExpiryInterval: 60,
      subscriptionIdentifiers: [3, 9],
    };
    const id = put(store, 'dev/raw', message(binary, { qos: 2, retain: true, dup: true, properties, time: 1234 }));
    expect(await store.write()).toBe(1);
    expect(store.queue.length).toBe(0);
    const record = store.get(id);
    expect(record).toMatchObject({ id, topic: 'dev/raw', time: 1234, qos: 2, retain: true, dup: true, recorded: false });
    expect(Array.from(record?.payload ?? [])).toEqual(Array.from(binary));
    expect(record?.properties.userProperties).toEqual(properties.userProperties);
    expect(Array.from(record?.properties.correlationData ?? [])).toEqual([0, 255, 7]);
    expect(record?.properties).toMatchObject({ contentType: 'application/octet-stream', messageExpiryInterval: 60, subscriptionIdentifiers: [3, 9] });
  });

  it('serves queued messages before they are written', async () => {
    const store = open(tempFile());
    const first = put(store, 'a', message('one'));
    await store.write();
    const second = put(store, 'a', message('two'));
    expect(store.get(second)?.payload).toEqual(utf8('two'));
    expect(store.history(store.topicId('a'), undefined, 10).map((m) => m.preview)).toEqual(['two', 'one']);
    expect(store.latestId(store.topicId('a'))).toBe(second);
    expect(first).toBeLessThan(second);
  });

  it('pages history newest first before an id', async () => {
    const store = open(tempFile());
    const ids = Array.from({ length: 10 }, (_, i) => put(store, i % 2 === 0 ? 'even' : 'odd', message(`m${i}`, { time: 100 + i })));
    await store.write();
    const even = store.topicId('even');
    const page1 = store.history(even, undefined, 3);
    expect(page1.map((m) => m.preview)).toEqual(['m8', 'm6', 'm4']);
    const page2 = store.history(even, page1.at(-1)?.id, 3);
    expect(page2.map((m) => m.preview)).toEqual(['m2', 'm0']);
    expect(page2[0]).toMatchObject({ id: ids[2], topic: 'even', size: 2, time: 102, previewCut: false });
  });

  it('pages the newest stored messages of some topics in a time range', async () => {
    const store = open(tempFile(), { maxPerTopic: 5 });
    // Times grow with ids, with gaps left by retention on the busy topic.
    for (let i = 0; i < 60; i++) put(store, i % 3 === 0 ? 'plant/a' : i % 3 === 1 ? 'plant/b' : 'other', message(`m${i}`, { time: 1000 + i * 10 }));
    await store.write();
    const plant = [store.topicId('plant/a'), store.topicId('plant/b')];
    const page = store.page(plant, 1000 + 45 * 10, 1000 + 58 * 10, 3);
    expect(page.map((m) => m.preview)).toEqual(['m58', 'm57', 'm55']);
    expect(store.page(undefined, 1000 + 50 * 10, 1000 + 52 * 10, 10).map((m) => m.preview)).toEqual(['m52', 'm51', 'm50']);
    expect(store.page(plant, 0, 500, 10)).toEqual([]);
    // Retention kept the last 5 per topic: nothing older survives on disk.
    expect(store.page(plant, 0, 1000 + 40 * 10, 10)).toEqual([]);
  });

  it('selects a subtree from disk and from topics not written yet, and filters by wildcard', async () => {
    const store = open(tempFile());
    for (const topic of ['a', 'a/b', 'a/b/c', 'a.b', 'ab', 'a0', 'b/a', 'a/é']) put(store, topic, message('x'));
    await store.write();
    put(store, 'a/new', message('y'));
    const names = (ids: number[] | undefined): string[] => (ids ?? []).map((id) => store.topicName(id) ?? '?').sort();
    expect(names(store.selectTopics('a', true))).toEqual(['a', 'a/b', 'a/b/c', 'a/new', 'a/é']);
    expect(names(store.selectTopics('a', false))).toEqual(['a']);
    expect(names(store.selectTopics('+/a', true))).toEqual(['b/a']);
    expect(names(store.selectTopics('nothing', true))).toEqual([]);
  });

  it('keeps at most maxPerTopic messages of a topic, always the latest', async () => {
    const store = open(tempFile(), { maxPerTopic: 3 });
    let last = 0;
    for (let i = 0; i < 10; i++) {
      last = put(store, 'busy', message(`b${i}`));
      put(store, 'quiet', message('q'));
      if (i % 3 === 0) await store.write();
    }
    await store.write();
    const busy = store.history(store.topicId('busy'), undefined, 100);
    expect(busy.map((m) => m.preview)).toEqual(['b9', 'b8', 'b7']);
    expect(busy[0]?.id).toBe(last);
    expect(store.stored).toBe(6);
    // Lower the limit: everything on disk follows with the next write.
    store.setRetention({ maxPerTopic: 1, maxBytes: 1_000_000_000, maxAgeSeconds: 0 });
    await store.write();
    expect(store.history(store.topicId('busy'), undefined, 100).map((m) => m.preview)).toEqual(['b9']);
    expect(store.stored).toBe(2);
  });

  it('evicts the oldest messages past maxBytes but never the latest of a topic', async () => {
    const store = open(tempFile(), { maxBytes: 1_000_000 });
    const big = new Uint8Array(100_000);
    put(store, 'once', message(big));
    for (let i = 0; i < 30; i++) put(store, 'often', message(big));
    await store.write();
    expect(store.storedBytes).toBeLessThanOrEqual(1_000_000);
    expect(store.history(store.topicId('once'), undefined, 10)).toHaveLength(1);
    expect(store.history(store.topicId('often'), undefined, 100)).toHaveLength(9);
  });

  it('evicts messages older than maxAgeSeconds but keeps the latest of each topic', async () => {
    const store = open(tempFile(), { maxAgeSeconds: 60 });
    const now = 10_000_000;
    put(store, 'old', message('o1', { time: now - 120_000 }));
    put(store, 'old', message('o2', { time: now - 100_000 }));
    put(store, 'mixed', message('m1', { time: now - 100_000 }));
    put(store, 'mixed', message('m2', { time: now - 1_000 }));
    await store.write(undefined, now);
    expect(store.history(store.topicId('old'), undefined, 10).map((m) => m.preview)).toEqual(['o2']);
    expect(store.history(store.topicId('mixed'), undefined, 10).map((m) => m.preview)).toEqual(['m2']);
  });

  it('reopens with every topic, its count and latest message, marked as recorded', async () => {
    const file = tempFile();
    const before = open(file);
    put(before, 'a/b', message('first', { time: 5 }));
    const latest = put(before, 'a/b', message('second', { time: 6, retain: true, qos: 1 }));
    put(before, 'c', message(new Uint8Array([0, 1]), { time: 7 }));
    await before.write();
    await before.close();

    const after = open(file);
    const restored = after.restoredTopics().sort((x, y) => x.topic.localeCompare(y.topic));
    expect(restored).toMatchObject([
      { topic: 'a/b', count: 2, firstSeen: 5, lastId: latest, lastTime: 6, lastRetain: true, lastQos: 1, preview: 'second', lastSize: 6 },
      { topic: 'c', count: 1, preview: '00 01' },
    ]);
    expect(after.get(latest)?.recorded).toBe(true);
    const next = put(after, 'a/b', message('third'));
    expect(next).toBeGreaterThan(latest);
    expect(after.get(next)?.recorded).toBe(false);
    await after.write();
    expect(after.stored).toBe(4);
    expect(after.topicId('a/b')).toBe(restored[0]?.topicId);
  });

  it('keeps a failed batch queued with its numbers intact and writes it on retry', async () => {
    const store = open(tempFile());
    put(store, 'seed', message('x'));
    await store.write();
    const pages = (await store.writerPragma('page_count')) as number;
    await store.writerPragma(`max_page_count = ${pages + 1}`);
    for (let i = 0; i < 200; i++) put(store, `t/${i}`, message(new Uint8Array(2000)));
    await expect(store.write()).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(store.queue.length).toBe(200);
    expect(store.stored).toBe(1);
    expect(store.storedBytes).toBe(1);
    await store.writerPragma('max_page_count = 1073741823');
    expect(await store.write()).toBe(200);
    expect(store.stored).toBe(201);
    expect(store.storedBytes).toBe(1 + 200 * 2000);
    expect(store.get(store.latestId(store.topicId('t/199')) ?? -1)?.payload.length).toBe(2000);
  });
});

describe('MessageStore writer thread', () => {
  it('keeps writing after its writer thread dies, losing nothing', async () => {
    const store = open(tempFile());
    put(store, 'a', message('1'));
    await store.write();
    // Kill the thread from outside, as a crash would.
    const writer = store['writer'] as unknown as { worker?: { terminate(): Promise<number> } };
    await writer.worker?.terminate();
    const second = put(store, 'a', message('2'));
    // A job caught by the crash fails and stays queued; the retry runs inline.
    await store.write().catch(() => store.write());
    expect(store.queue.length).toBe(0);
    expect(store.stored).toBe(2);
    expect(store.get(second)?.recorded).toBe(false);
    expect(store.history(store.topicId('a'), undefined, 10).map((m) => m.preview)).toEqual(['2', '1']);
  });
});
