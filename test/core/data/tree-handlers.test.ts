// retained.count and retained.clear against real Mosquitto: what the tree marks as retained is what
// the broker may still hold, clearing takes the marks away at once, and progress is reported.
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, RetainedClearProgress } from '../../../electron/common/api';
import type { Recorder } from '../../../electron/core/data';
import { startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { call, cleanUp, publisherSession, RETENTION, recordingClient, startDataPart, tempDataDir, waitFor } from './helpers';

let broker: MosquittoBroker | undefined;
afterEach(async () => {
  await cleanUp();
  await broker?.stop();
  broker = undefined;
});
afterAll(stopAll);

async function publishAll(port: number, messages: { topic: string; payload: string; retain?: boolean }[], username?: string): Promise<void> {
  const client = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, ...(username === undefined ? {} : { username }) });
  for (const m of messages) await client.publishAsync(m.topic, m.payload, { qos: 1, retain: m.retain ?? false });
  await client.endAsync();
}

/** What a fresh subscriber gets from the broker's retained store under `filter`. */
async function retainedOnBroker(port: number, filter: string): Promise<string[]> {
  const check = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, username: 'admin' });
  const seen: string[] = [];
  check.on('message', (topic, payload, packet) => {
    if (packet.retain) seen.push(`${topic}=${payload.toString()}`);
  });
  await check.subscribeAsync(filter, { qos: 1 });
  // Mosquitto sends the retained messages right behind the SUBACK; a round trip makes sure they are in.
  await check.publishAsync('probe/done', '', { qos: 1 });
  await check.endAsync();
  return seen.sort();
}

const progressOf = (events: EngineEvent[]): RetainedClearProgress[] => events.flatMap((e) => (e.type === 'retained.progress' ? [e.progress] : []));

describe('retained handlers', () => {
  it('clears a retained topic whose last message was live, drops the marks at once and reports progress with failures', async () => {
    // Anonymous clients may not write below locked/: clearing there fails with Not authorized.
    broker = await startMosquitto({ acl: 'topic readwrite plant/#\ntopic readwrite probe/#\ntopic read locked/#\nuser admin\ntopic readwrite #\n' });
    const port = broker.port;
    const h = startDataPart(tempDataDir(), { live: () => session });
    const session = await publisherSession(port, 'r');
    const recorder = h.part.recording.recorder('r', RETENTION) as Recorder;
    await publishAll(
      port,
      [
        { topic: 'plant/a', payload: '1', retain: true },
        { topic: 'plant/b', payload: '2', retain: true },
        { topic: 'locked/c', payload: '3', retain: true },
      ],
      'admin',
    );
    // Without Retain As Published, as many profiles subscribe: the broker's echo of a clear arrives unflagged.
    await recordingClient(port, '#', recorder);
    await waitFor(() => recorder.tree.root.subtreeMessages === 3, 'the retained messages');
    await publishAll(port, [{ topic: 'plant/a', payload: 'live' }]);
    await waitFor(() => recorder.tree.root.subtreeMessages === 4, 'the live message');
    expect(await call(h.part, 'tree.find', { connectionId: 'r', topic: 'plant/a' })).toMatchObject({ retained: true, last: { retain: false, preview: 'live' } });

    expect(await call(h.part, 'retained.count', { connectionId: 'r', nodeId: 0 })).toEqual({ count: 3, topics: ['locked/c', 'plant/a', 'plant/b'] });
    await call(h.part, 'tree.children', { connectionId: 'r', nodeId: 0 });
    await call(h.part, 'tree.children', { connectionId: 'r', nodeId: recorder.tree.find('plant')?.id ?? -1 });
    h.flush();
    h.events.length = 0;

    const result = await call(h.part, 'retained.clear', { connectionId: 'r', nodeId: 0, subtree: true });
    expect(result.cleared).toBe(2);
    expect(result.failed).toEqual([{ topic: 'locked/c', error: expect.stringMatching(/not authorized/i) as unknown as string }]);

    // Marks of the cleared topics are gone without waiting for an echo; the failed one keeps its mark.
    expect(await call(h.part, 'retained.count', { connectionId: 'r', nodeId: 0 })).toEqual({ count: 1, topics: ['locked/c'] });
    h.flush();
    const sent = h.events.flatMap((e) => (e.type === 'tree.delta' ? e.delta.nodes : [])).filter((n) => n.topic.startsWith('plant/'));
    expect(sent.filter((n) => !n.retained).map((n) => n.topic).sort()).toEqual(['plant/a', 'plant/b']);
    expect(await retainedOnBroker(port, '#')).toEqual(['locked/c=3']);

    const progress = progressOf(h.events);
    expect(progress.at(-1)).toEqual({ connectionId: 'r', nodeId: 0, done: 3, failed: 1, total: 3 });
    for (const [i, p] of progress.entries()) {
      expect(p.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0);
      expect(p.done).toBeLessThanOrEqual(p.total);
    }
  });

  it('reports a final progress of nothing when nothing is retained', async () => {
    broker = await startMosquitto();
    const h = startDataPart(tempDataDir(), { live: () => session });
    const session = await publisherSession(broker.port, 'r');
    const recorder = h.part.recording.recorder('r', RETENTION) as Recorder;
    await recordingClient(broker.port, '#', recorder);
    await publishAll(broker.port, [{ topic: 'x/live', payload: 'y' }]);
    await waitFor(() => recorder.tree.root.subtreeMessages === 1, 'the live message');
    expect(await call(h.part, 'retained.clear', { connectionId: 'r', nodeId: 0, subtree: true })).toEqual({ cleared: 0, failed: [] });
    h.flush();
    expect(progressOf(h.events)).toEqual([{ connectionId: 'r', nodeId: 0, done: 0, failed: 0, total: 0 }]);
  });
});
