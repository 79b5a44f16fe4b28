// Reconnect backoff against a broker that dies without a word (SIGKILL, as after a crash or an
// OOM kill): the delays between attempts grow, stay under the profile's maximum, and the
// connection comes back with its subscriptions once the broker does.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../electron/common/api';
import type { SessionStatus } from '../../../electron/common/session';
import { createConnectionPart, type ConnectionPart } from '../../../electron/core/connection';
import type { EngineContext } from '../../../electron/core/services';
import { startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { CollectingRecording, TestProfiles, waitFor } from './helpers';

/** A status with the wall-clock time it reached the event sink. */
interface StampedStatus {
  status: SessionStatus;
  at: number;
}

class StampedEvents {
  readonly statuses: StampedStatus[] = [];
  emit(event: EngineEvent): void {
    if (event.type === 'connection.status') this.statuses.push({ status: event.status, at: Date.now() });
  }
}

const brokers: MosquittoBroker[] = [];
const parts: ConnectionPart[] = [];
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.close()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

/**
 * The harness only stops its broker politely (SIGTERM, then SIGKILL after a grace). A crash is
 * SIGKILL at once; the broker's own config path, unique per harness dir, names its process.
 */
function killBroker(b: MosquittoBroker): void {
  // /proc rather than pgrep: no dependency on procps being installed.
  const conf = path.join(b.dir, 'mosquitto.conf');
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(conf);
      } catch {
        return false;
      }
    })
    .map(Number);
  expect(pids).toHaveLength(1);
  process.kill(pids[0]!, 'SIGKILL');
}

const INITIAL_MS = 200;
const MAX_MS = 800;
/**
 * backoff.ts: attempt n waits between half and all of min(max, initial·2^(n-1)) ("equal jitter").
 * Written out rather than recomputed so a change of the formula shows up here.
 */
const BOUNDS: Record<number, [number, number]> = {
  1: [100, 200],
  2: [200, 400],
  3: [400, 800],
  // Uncapped this would be 800–1600: the maximum holds it at 400–800.
  4: [400, 800],
};

describe('reconnect backoff after a broker crash', () => {
  it('waits longer between attempts while the broker is down, never past the maximum, then reconnects and resubscribes', async () => {
    const b = await startMosquitto();
    brokers.push(b);
    const profiles = new TestProfiles();
    const events = new StampedEvents();
    const ctx: EngineContext = { dataDir: '/nonexistent', host: 'web', version: 'test', events, problems: [] };
    const part = createConnectionPart(ctx, { profiles, recording: new CollectingRecording() });
    parts.push(part);
    profiles.add('crash', {
      host: b.host, port: b.port,
      reconnect: { enabled: true, initialDelayMs: INITIAL_MS, maxDelayMs: MAX_MS },
      subscriptions: [{ filter: 'plant/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] }],
    });
    expect((await part.handlers['connection.open']({ connectionId: 'crash' })).state).toBe('connected');

    const killedAt = Date.now();
    killBroker(b);
    // A scheduled attempt is a reconnecting status that carries its retry time.
    const scheduled = (): number[] =>
      events.statuses.flatMap((s, index) => (s.status.state === 'reconnecting' && s.status.nextRetryAt !== undefined ? [index] : []));
    await waitFor('four scheduled reconnect attempts', () => scheduled().length >= 4, 15_000);
    const indexes = scheduled().slice(0, 4);
    expect(indexes.map((i) => events.statuses[i]?.status.attempt)).toEqual([1, 2, 3, 4]);

    // The delay was chosen at some instant between the status just before (the failed retry, or
    // the kill for attempt 1) and this status reaching the sink, so it lies in
    // [nextRetryAt − arrival, nextRetryAt − previous]. Each window must meet the attempt's bounds.
    const windows = indexes.map((i, n) => {
      const current = events.statuses[i]!;
      const before = n === 0 ? killedAt : events.statuses[i - 1]!.at;
      const nextRetryAt = current.status.nextRetryAt!;
      return { attempt: current.status.attempt!, shortest: nextRetryAt - current.at, longest: nextRetryAt - before };
    });
    for (const [n, i] of indexes.entries()) {
      if (n === 0) continue;
      // What lies between two scheduled attempts is the retry of the previous one, not a new connection.
      expect(events.statuses[i - 1]?.status).toMatchObject({ state: 'reconnecting', attempt: n });
      expect(events.statuses[i - 1]?.status.nextRetryAt).toBeUndefined();
    }
    for (const window of windows) {
      const [low, high] = BOUNDS[window.attempt]!;
      expect(window.shortest, `attempt ${window.attempt} waits at most ${high} ms`).toBeLessThanOrEqual(high);
      expect(window.longest, `attempt ${window.attempt} waits at least ${low} ms`).toBeGreaterThanOrEqual(low);
      expect(window.shortest).toBeLessThanOrEqual(MAX_MS);
    }
    // Growth beyond jitter: attempt 3 waits at least 400 ms, attempt 1 at most 200.
    expect(windows[2]!.shortest).toBeGreaterThan(windows[0]!.longest);

    await b.restart();
    const connected = await waitFor(
      'connected again with the subscription granted',
      () => events.statuses.slice(indexes[3]).find((s) => s.status.state === 'connected' && s.status.subscriptions[0]?.status === 'granted'),
      15_000,
    );
    expect(connected.status.error).toBeUndefined();
    expect(connected.status.attempt).toBeUndefined();
    expect(connected.status.nextRetryAt).toBeUndefined();
    expect(connected.status.subscriptions.map((s) => [s.filter, s.status])).toEqual([['plant/#', 'granted']]);
    // The restarted broker got the SUBSCRIBE again (its log file spans both runs).
    const subscribes = (): number => b.readLog().split('\n').filter((line) => /\splant\/# \(QoS 1\)/.test(line)).length;
    await waitFor('the SUBSCRIBE in the restarted broker\'s log', () => subscribes() === 2);
  });
});
