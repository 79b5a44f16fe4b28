import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CSV_HEADER, exportMessages, MessageStore, selectTopicIds } from '../../../electron/core/store';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(): { store: MessageStore; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topograph-export-'));
  dirs.push(dir);
  const store = MessageStore.open(path.join(dir, 'c.sqlite'), { maxPerTopic: 100, maxBytes: 1_000_000_000, maxAgeSeconds: 0 });
  stores.push(store);
  return { store, dir };
}

const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);
function put(store: MessageStore, topic: string, payload: Uint8Array, time: number, extra: { userProperties?: { name: string; value: string }[] } = {}): void {
  store.enqueue(store.allocateId(), store.topicId(topic), { payload, qos: 1, retain: false, dup: false, properties: extra, time });
}

/** A simple CSV reader for the test: quoted fields with doubled quotes and embedded newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('exportMessages', () => {
  const binary = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);

  it('writes a subtree in a time range to JSON Lines with payloads byte for byte', async () => {
    const { store, dir } = setup();
    put(store, 'plant/a', binary, 100);
    put(store, 'plant/a/deep', utf8('{"x":"ü"}'), 200, { userProperties: [{ name: 'k', value: 'v' }] });
    put(store, 'plantation', utf8('not in the subtree'), 200);
    put(store, 'plant/b', utf8('too late'), 900);
    await store.flush();
    const file = path.join(dir, 'out.jsonl');
    const ids = selectTopicIds(store.topics(), 'plant', true);
    const rows = await exportMessages(store.file, (id) => store.topicName(id) ?? '', { topicIds: ids, from: 0, to: 500, format: 'jsonl', filePath: file });
    expect(rows).toBe(2);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.topic)).toEqual(['plant/a', 'plant/a/deep']);
    expect(lines[0]).toMatchObject({ payloadEncoding: 'base64', qos: 1, retain: false, time: 100, isoTime: '1970-01-01T00:00:00.100Z' });
    expect(Array.from(Buffer.from(lines[0]?.payload as string, 'base64'))).toEqual(Array.from(binary));
    expect(lines[1]).toMatchObject({ payloadEncoding: 'utf8', payload: '{"x":"ü"}', properties: { userProperties: [{ name: 'k', value: 'v' }] } });
  });

  it('writes CSV with quoting that survives commas, quotes and newlines', async () => {
    const { store, dir } = setup();
    put(store, 'a,b', utf8('say "hi",\nbye'), 1);
    put(store, 'bin', binary, 2);
    await store.flush();
    const file = path.join(dir, 'out.csv');
    await exportMessages(store.file, (id) => store.topicName(id) ?? '', { topicIds: undefined, format: 'csv', filePath: file });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(CSV_HEADER)).toBe(true);
    const [header, first, second] = parseCsv(text);
    expect(header).toEqual(CSV_HEADER.trim().split(','));
    expect(first?.slice(3, 9)).toEqual(['a,b', '1', 'false', 'false', 'utf8', 'say "hi",\nbye']);
    expect(second?.[7]).toBe('base64');
    expect(Array.from(Buffer.from(second?.[8] ?? '', 'base64'))).toEqual(Array.from(binary));
  });

  it('selects a topic alone, a subtree, or an MQTT filter', () => {
    const topics: [string, number][] = [
      ['a', 1],
      ['a/b', 2],
      ['ab', 3],
      ['x/b', 4],
      ['$SYS/y', 5],
    ];
    expect(selectTopicIds(topics, 'a', false)).toEqual([1]);
    expect(selectTopicIds(topics, 'a', true)).toEqual([1, 2]);
    expect(selectTopicIds(topics, '+/b', true)).toEqual([2, 4]);
    expect(selectTopicIds(topics, '#', true)).toEqual([1, 2, 3, 4]);
    expect(selectTopicIds(topics.slice(0, 4), '#', true)).toBeUndefined();
  });
});
