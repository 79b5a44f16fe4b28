// The data part end to end: real Mosquitto, an mqtt.js client feeding the recorder as the
// connection part does, a real SQLite file per profile, and the handlers the UI calls.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/common/api';
import type { TreeDelta } from '../../../electron/common/session';
import type { Recorder } from '../../../electron/core/data';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { call, cleanUp, publisherSession, RETENTION, recordingClient, startDataPart, tempDataDir, waitFor } from './helpers';

let broker: MosquittoBroker | undefined;
afterEach(async () => {
  await cleanUp();
  await broker?.stop();
  broker = undefined;
});
afterAll(stopAll);

async function publishAll(port: number, messages: { topic: string; payload: Buffer; retain?: boolean }[]): Promise<void> {
  const client = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0 });
  for (const m of messages) await client.publishAsync(m.topic, m.payload, { qos: 1, retain: m.retain ?? false });
  await client.endAsync();
}

const deltas = (events: EngineEvent[]): TreeDelta[] => events.flatMap((e) => (e.type === 'tree.delta' ? [e.delta] : []));

describe('data part', () => {
  it('exports a subtree that matches what was published, byte for byte, in JSONL and CSV', async () => {
    broker = await startMosquitto();
    const h = startDataPart(tempDataDir());
    const recorder = h.part.recording.recorder('exp', RETENTION) as Recorder;
    await recordingClient(broker.port, '#', recorder);
    const published = Array.from({ length: 40 }, (_, i) => ({ topic: `lab/${i % 4}/raw`, payload: randomBytes(1 + ((i * 97) % 3000)) }));
    const outside = [{ topic: 'labs/other', payload: Buffer.from('outside') }];
    await publishAll(broker.port, [...published, ...outside]);
    await waitFor(() => recorder.tree.root.subtreeMessages === 41, 'all messages recorded');

    const jsonl = await call(h.part, 'messages.export', { connectionId: 'exp', topic: 'lab', subtree: true, format: 'jsonl' });
    expect(jsonl.rows).toBe(40);
    expect(path.dirname(jsonl.filePath)).toBe(path.join(h.dataDir, 'exports'));
    const lines = readFileSync(jsonl.filePath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { topic: string; payload: string; payloadEncoding: string });
    expect(lines.map((l) => l.topic)).toEqual(published.map((p) => p.topic));
    lines.forEach((line, i) => {
      const bytes = line.payloadEncoding === 'base64' ? Buffer.from(line.payload, 'base64') : Buffer.from(line.payload, 'utf8');
      expect(bytes.equals(published[i]?.payload as Buffer), `message ${i}`).toBe(true);
    });

    const csvPath = path.join(h.dataDir, 'exports', 'sub.csv');
    const csv = await call(h.part, 'messages.export', { connectionId: 'exp', topic: 'lab/+/raw', format: 'csv', filePath: 'sub.csv' });
    expect(csv).toEqual({ filePath: csvPath, rows: 40 });
    expect(readFileSync(csvPath, 'utf8').split('\n')[0]).toMatch(/^id,time,iso_time,topic/);
  });

  it('refuses to export to a path outside the exports folder and leaves the file there untouched', async () => {
    const h = startDataPart(tempDataDir());
    h.part.recording.recorder('exp', RETENTION);
    const victim = path.join(h.dataDir, 'profiles.json');
    writeFileSync(victim, 'keep me');
    for (const filePath of [victim, '../profiles.json', path.join('sub', '..', '..', 'profiles.json'), '.']) {
      const attempt = call(h.part, 'messages.export', { connectionId: 'exp', topic: '#', format: 'jsonl', filePath });
      await expect(attempt, filePath).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/exports go only into .*exports\. Give a file name inside that folder/) });
    }
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    const nested = await call(h.part, 'messages.export', { connectionId: 'exp', topic: '#', format: 'jsonl', filePath: path.join('day', 'all.jsonl') });
    expect(nested.filePath).toBe(path.join(h.dataDir, 'exports', 'day', 'all.jsonl'));
    expect(existsSync(nested.filePath)).toBe(true);
  });

  it('rebuilds the tree and history from disk after a restart, marked recorded until new messages arrive', async () => {
    broker = await startMosquitto();
    const dataDir = tempDataDir();
    const first = startDataPart(dataDir);
    const recorder = first.part.recording.recorder('keep', RETENTION) as Recorder;
    // Retain As Published: the broker keeps the retain flag on live messages too.
    await recordingClient(broker.port, 'home/#', recorder, 1, true);
    await mosquittoPub(['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'home/kitchen/temp', '-m', '21.5', '-q', '1']);
    await mosquittoPub(['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'home/kitchen/temp', '-m', '22.0', '-q', '1', '-r']);
    await mosquittoPub(['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'home/hall/door', '-m', 'open', '-q', '1']);
    await waitFor(() => recorder.tree.root.subtreeMessages === 3, 'three messages');
    await first.close();

    const second = startDataPart(dataDir);
    // Reading the tree opens the profile's store without connecting.
    const top = await call(second.part, 'tree.children', { connectionId: 'keep', nodeId: 0 });
    expect(top).toMatchObject([{ topic: 'home', subtreeMessages: 3, subtreeTopics: 2, recorded: true }]);
    const temp = await call(second.part, 'tree.find', { connectionId: 'keep', topic: 'home/kitchen/temp' });
    expect(temp).toMatchObject({ messages: 2, recorded: true, retained: true, last: { preview: '22.0', retain: true } });
    const history = await call(second.part, 'messages.history', { connectionId: 'keep', topic: 'home/kitchen/temp' });
    expect(history.map((m) => m.preview)).toEqual(['22.0', '21.5']);
    const latest = await call(second.part, 'messages.latest', { connectionId: 'keep', topic: 'home/kitchen/temp' });
    expect(latest).toMatchObject({ recorded: true, retain: true });
    expect(Buffer.from(latest?.payload ?? []).toString()).toBe('22.0');

    const again = second.part.recording.recorder('keep', RETENTION) as Recorder;
    await recordingClient(broker.port, 'home/kitchen/#', again);
    // The retained message arrives again on subscribing: a new message of this run.
    await waitFor(() => again.tree.find('home/kitchen/temp')?.messages === 3, 'the retained message again');
    expect(await call(second.part, 'tree.find', { connectionId: 'keep', topic: 'home/kitchen/temp' })).toMatchObject({ recorded: false });
    expect(await call(second.part, 'tree.find', { connectionId: 'keep', topic: 'home/hall/door' })).toMatchObject({ recorded: true });
    const fresh = await call(second.part, 'messages.latest', { connectionId: 'keep', topic: 'home/kitchen/temp' });
    expect(fresh?.recorded).toBe(false);
  });

  it('emits one delta per connection per flush with changed visible nodes, and stats', async () => {
    broker = await startMosquitto();
    const h = startDataPart(tempDataDir());
    const a = h.part.recording.recorder('a', RETENTION) as Recorder;
    const b = h.part.recording.recorder('b', RETENTION) as Recorder;
    await recordingClient(broker.port, 'x/#', a);
    await recordingClient(broker.port, 'x/#', b);
    await publishAll(broker.port, [
      { topic: 'x/1/deep', payload: Buffer.from('one') },
      { topic: 'x/2', payload: Buffer.from('two') },
    ]);
    await waitFor(() => a.tree.root.subtreeMessages === 2 && b.tree.root.subtreeMessages === 2, 'both recorders');
    h.flush();
    const first = deltas(h.events);
    expect(first.map((d) => d.connectionId).sort()).toEqual(['a', 'b']);
    expect(first[0]?.nodes.map((n) => n.topic)).toEqual(['x']);
    const stats = h.events.filter((e) => e.type === 'connection.stats').at(-1);
    expect(stats).toMatchObject({ type: 'connection.stats', stats: [{ connectionId: 'a', topics: 2, messages: 2 }, { connectionId: 'b' }] });

    const x = await call(h.part, 'tree.find', { connectionId: 'a', topic: 'x' });
    await call(h.part, 'tree.children', { connectionId: 'a', nodeId: x?.id ?? -1 });
    h.events.length = 0;
    await publishAll(broker.port, [{ topic: 'x/2', payload: Buffer.from('two again') }]);
    await waitFor(() => a.tree.root.subtreeMessages === 3 && b.tree.root.subtreeMessages === 3, 'the second message');
    h.flush();
    const second = deltas(h.events);
    expect(second.find((d) => d.connectionId === 'a')?.nodes.map((n) => n.topic).sort()).toEqual(['x', 'x/2']);
    expect(second.find((d) => d.connectionId === 'b')?.nodes.map((n) => n.topic)).toEqual(['x']);
    expect(second.find((d) => d.connectionId === 'a')?.nodes.find((n) => n.topic === 'x/2')?.last?.preview).toBe('two again');

    await call(h.part, 'tree.clear', { connectionId: 'a' });
    h.events.length = 0;
    h.flush();
    expect(deltas(h.events)).toEqual([{ connectionId: 'a', nodes: [], removed: [], reset: true }]);
  });

  it('counts and clears retained topics of a subtree through the live session', async () => {
    broker = await startMosquitto();
    const port = broker.port;
    const h = startDataPart(tempDataDir(), { live: () => session });
    const session = await publisherSession(port, 'r');
    const recorder = h.part.recording.recorder('r', RETENTION) as Recorder;
    await publishAll(port, [
      { topic: 'plant/a', payload: Buffer.from('1'), retain: true },
      { topic: 'plant/b/c', payload: Buffer.from('2'), retain: true },
      { topic: 'plant/d', payload: Buffer.from('3') },
    ]);
    await recordingClient(port, 'plant/#', recorder);
    await waitFor(() => recorder.tree.root.subtreeMessages === 2, 'the retained messages');
    const plant = recorder.tree.find('plant');
    const counted = await call(h.part, 'retained.count', { connectionId: 'r', nodeId: plant?.id ?? -1 });
    expect(counted).toEqual({ count: 2, topics: ['plant/a', 'plant/b/c'] });
    const cleared = await call(h.part, 'retained.clear', { connectionId: 'r', nodeId: plant?.id ?? -1, subtree: true });
    expect(cleared).toEqual({ cleared: 2, failed: [] });
    // An independent subscriber sees nothing retained any more.
    const check = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0 });
    const seen: string[] = [];
    check.on('message', (topic, payload) => seen.push(`${topic}=${payload.toString()}`));
    await check.subscribeAsync('plant/#', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await check.endAsync();
    expect(seen).toEqual([]);
  });

  it('answers unknown nodes and messages with not-found sentences', async () => {
    const h = startDataPart(tempDataDir());
    await expect(call(h.part, 'tree.children', { connectionId: 'none', nodeId: 99 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call(h.part, 'messages.get', { connectionId: 'none', id: 5 })).rejects.toMatchObject({ code: 'not-found', message: /retention/ });
    expect(await call(h.part, 'messages.history', { connectionId: 'none', topic: 'a' })).toEqual([]);
    expect(await call(h.part, 'tree.find', { connectionId: 'none', topic: 'a' })).toBeNull();
    await expect(call(h.part, 'tree.search', { connectionId: 'none', query: '(', mode: 'regex' })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
