// The demo publishes about the rate asked, and a live rate change takes hold: the RateScheduler
// driven with the demo's real streams (their real weights) for simulated seconds on fake timers.
// The streams' own emit would publish through a link, so each is swapped for a counter here;
// what is under test is how often the scheduler calls it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBinary } from '../../../electron/core/demo/binary';
import { createHomeAssistant } from '../../../electron/core/demo/home-assistant';
import type { DemoLink } from '../../../electron/core/demo/link';
import { DemoOutput } from '../../../electron/core/demo/output';
import { createRpc } from '../../../electron/core/demo/rpc';
import { RateScheduler, type DemoStream } from '../../../electron/core/demo/scheduler';
import { createSensors } from '../../../electron/core/demo/sensors';
import { createSparkplug } from '../../../electron/core/demo/sparkplug';
import { createWillDevice } from '../../../electron/core/demo/will-device';
import { createZigbee } from '../../../electron/core/demo/zigbee';

/** mulberry32: a fixed seed keeps the phases and the jitter, and so the counts, the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The link is only handed to the parts' constructors; nothing in this test may publish through it. */
const silentLink: DemoLink = {
  protocolVersion: 4,
  ready: true,
  publish: () => Promise.reject(new Error('The rate test counts emits; it must not publish.')),
  listen: () => Promise.reject(new Error('The rate test counts emits; it must not subscribe.')),
  close: () => Promise.resolve(),
};

/** The same parts, in the same order, that DemoRunner.start hands to its RateScheduler. */
function demoWeights(random: () => number): number[] {
  const out = new DemoOutput(silentLink);
  const parts = [createSensors(out, random), createZigbee(out, random), createHomeAssistant(out), createBinary(out, random), createRpc(out, random), createSparkplug(out, random), createWillDevice(out, random, undefined)];
  return parts.flatMap((part) => part.streams).map((stream) => stream.weight);
}

/**
 * Why the tolerances are what they are. Every 50 ms tick a stream of weight w earns
 * rate·w/W·0.05 credit (no rounding: credit is fractional and carries over) and sends one message
 * per whole credit, paying 0.85–1.15 (uniform, mean 1) per message. Over a window in which it
 * earns E, its n messages paid c_start + E − c_end, and a leftover credit always lies in
 * [−0.15, 1); so n − E = (c_start − c_end) − Σ(jitter), where
 * - the boundary term is under 1.15 in size for each stream, whatever the seed;
 * - the jitter term is a sum of n independent uniform(−0.15, 0.15) draws: standard deviation
 *   0.3/√12·√n ≈ 0.0866·√n, and four of those cover all but about 1 in 15,000 windows.
 * The credit cap (share + 1) never binds on 50 ms ticks, so nothing else is lost or gained.
 * For the total over S streams, adding S worst-case boundaries (±56 for the demo's ~50 streams)
 * would hide a 5 % error; the leftovers are spread over a 1.15 wide range independently per
 * stream (random phases, random jitter), so c_start − c_end has variance 2·1.15²/12 per stream,
 * and four standard deviations of boundaries and jitter together bound the total instead.
 */
const BOUNDARY = 1.15;
const JITTER_SD = 0.3 / Math.sqrt(12);
const jitter = (expected: number): number => 4 * JITTER_SD * Math.sqrt(expected);
const totalTolerance = (streams: number, expected: number): number => 4 * Math.sqrt((streams * 2 * BOUNDARY ** 2) / 12 + JITTER_SD ** 2 * expected);

describe('demo publish rate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends about 500 messages in 10 s at 50 msg/s and about 1,200 in the next 10 s after a live change to 120 msg/s, shared by weight', () => {
    const random = seeded(8);
    const weights = demoWeights(random);
    const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
    // The demo has dozens of streams; fewer would mean the weights above are not the demo's.
    expect(weights.length).toBeGreaterThan(30);

    const counts = weights.map(() => 0);
    const streams: DemoStream[] = weights.map((weight, index) => ({ weight, emit: () => void (counts[index] = (counts[index] ?? 0) + 1) }));
    const scheduler = new RateScheduler(streams, 50, () => true, random);
    scheduler.start();

    const windowOf = (rate: number): number[] => {
      counts.fill(0);
      vi.advanceTimersByTime(10_000);
      const window = [...counts];
      const total = window.reduce((sum, count) => sum + count, 0);
      const expected = rate * 10;
      const tolerance = totalTolerance(weights.length, expected);
      expect(total, `messages in 10 s at ${rate} msg/s (±${tolerance.toFixed(1)})`).toBeGreaterThanOrEqual(expected - tolerance);
      expect(total, `messages in 10 s at ${rate} msg/s (±${tolerance.toFixed(1)})`).toBeLessThanOrEqual(expected + tolerance);
      // Per stream the bound is tight: one stream's boundary term plus its own jitter.
      weights.forEach((weight, index) => {
        const share = (expected * weight) / totalWeight;
        const sent = window[index] ?? 0;
        expect(Math.abs(sent - share), `stream ${index} (weight ${weight}) sent ${sent}, its share is ${share.toFixed(1)}`).toBeLessThanOrEqual(BOUNDARY + jitter(share));
      });
      return window;
    };

    const slow = windowOf(50);
    expect(scheduler.messagesPerSecond).toBe(50);
    scheduler.setRate(120);
    expect(scheduler.messagesPerSecond).toBe(120);
    const fast = windowOf(120);
    scheduler.stop();

    // The heaviest stream sends more than the lightest, at both rates: weights order the streams.
    const heaviest = weights.indexOf(Math.max(...weights));
    const lightest = weights.indexOf(Math.min(...weights));
    expect(slow[heaviest] ?? 0).toBeGreaterThan(slow[lightest] ?? 0);
    expect(fast[heaviest] ?? 0).toBeGreaterThan(fast[lightest] ?? 0);

    // Stopped: simulated time passes and nothing more is sent.
    counts.fill(0);
    vi.advanceTimersByTime(5_000);
    expect(counts.every((count) => count === 0)).toBe(true);
  });
});
