// messages.export of a chosen list of topics (a search result) through the data part's handler,
// on a real SQLite store: only those topics, only the time range, payloads byte for byte.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Recorder } from '../../../electron/core/data';
import { call, cleanUp, RETENTION, startDataPart, tempDataDir } from './helpers';

afterEach(cleanUp);

const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 151 + 7) & 0xff));

function record(recorder: Recorder, topic: string, payload: Buffer, time: number): void {
  recorder.record({ topic, payload, qos: 1, retain: false, dup: false, properties: {}, time }, () => undefined);
}

interface Line {
  topic: string;
  time: number;
  payloadEncoding: 'utf8' | 'base64';
  payload: string;
}

describe('messages.export of a list of topics', () => {
  it('writes exactly the chosen topics in the time range, binary payloads as base64 byte for byte', async () => {
    const h = startDataPart(tempDataDir());
    const recorder = h.part.recording.recorder('exp', RETENTION) as Recorder;
    const topics = ['site/a', 'site/b', 'site/c', 'site/d', 'site/b/deep'];
    // In arrival order, as the store expects (its time ranges rely on ids growing with time).
    for (const [i, topic] of topics.entries()) record(recorder, topic, Buffer.from(`early ${topic}`), 1_000 + i);
    for (const [i, topic] of topics.entries()) record(recorder, topic, i === 1 ? binary : Buffer.from(`in range ${topic}`), 5_000 + i);
    for (const [i, topic] of topics.entries()) record(recorder, topic, Buffer.from(`late ${topic}`), 9_000 + i);
    const chosen = ['site/a', 'site/b', 'site/c/never-seen', 'site/d'];
    const result = await call(h.part, 'messages.export', { connectionId: 'exp', topics: chosen, from: 4_000, to: 6_000, format: 'jsonl' });
    expect(result.rows).toBe(3);
    const lines = readFileSync(result.filePath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [l.topic, l.time])).toEqual([
      ['site/a', 5_000],
      ['site/b', 5_001],
      ['site/d', 5_003],
    ]);
    const b = lines[1] as Line;
    expect(b.payloadEncoding).toBe('base64');
    expect(Buffer.from(b.payload, 'base64').equals(binary)).toBe(true);
    expect(lines[0]).toMatchObject({ payloadEncoding: 'utf8', payload: 'in range site/a' });

    const csv = await call(h.part, 'messages.export', { connectionId: 'exp', topics: ['site/b'], format: 'csv', filePath: 'b.csv' });
    expect(csv.rows).toBe(3);
    expect(readFileSync(csv.filePath, 'utf8')).toContain(`,base64,${binary.toString('base64')},`);
  });

  it('refuses both a topic and a list, and neither, with a sentence', async () => {
    const h = startDataPart(tempDataDir());
    h.part.recording.recorder('exp', RETENTION);
    await expect(call(h.part, 'messages.export', { connectionId: 'exp', topic: 'a', topics: ['a'], format: 'jsonl' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/both a topic and a list of topics\. Give either topic/),
    });
    await expect(call(h.part, 'messages.export', { connectionId: 'exp', format: 'jsonl' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/neither a topic nor a list of topics\. Give either topic/),
    });
  });
});
