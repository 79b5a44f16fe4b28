/**
 * A Sparkplug B edge node with two devices. NBIRTH/DBIRTH carry every metric with its name,
 * alias and datatype; NDATA/DDATA carry aliases only; NDEATH is the node's Will (its bdSeq
 * matches the NBIRTH of the same MQTT session) and is also sent at a clean stop.
 */
import sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import type { DeviceLink, DemoLink } from './link';
import type { DemoDevices, DemoOutput } from './output';
import type { DemoStream } from './scheduler';
import { RandomWalk } from './walk';

function spBv10() {
  const found = sparkplug.get('spBv1.0');
  if (found === null) throw new Error('sparkplug-payload lacks the spBv1.0 namespace.');
  return found;
}
export const sparkplugCodec = spBv10();
const codec = sparkplugCodec;

export const SPARKPLUG_GROUP = 'Plant-Demo';
export const SPARKPLUG_NODE = 'Gateway-07';
export const sparkplugTopic = (type: string, device?: string): string =>
  `spBv1.0/${SPARKPLUG_GROUP}/${type}/${SPARKPLUG_NODE}${device === undefined ? '' : `/${device}`}`;

type Value = number | boolean | string;

interface Metric {
  name: string;
  alias: number;
  type: 'Float' | 'Double' | 'Boolean' | 'String' | 'Int64' | 'UInt32' | 'UInt64';
  unit?: string;
  read(): Value;
  /** The next value; undefined = unchanged (left out of DATA, as report-by-exception does). */
  next(): Value | undefined;
}

function walking(name: string, alias: number, unit: string, walk: RandomWalk): Metric {
  return { name, alias, type: 'Double', unit, read: () => walk.value, next: () => walk.next() };
}

function fixed(name: string, alias: number, type: Metric['type'], value: Value): Metric {
  return { name, alias, type, read: () => value, next: () => undefined };
}

const birthMetric = (metric: Metric, timestamp: number): UMetric => ({
  name: metric.name,
  alias: metric.alias,
  type: metric.type,
  value: metric.read(),
  timestamp,
  ...(metric.unit ? { properties: { engUnit: { type: 'String', value: metric.unit } } } : {}),
});

export interface SparkplugNode extends DemoDevices {
  /** Publishes NBIRTH and every DBIRTH again (as after an NCMD Node Control/Rebirth). */
  rebirth(): Promise<void>;
  /**
   * Cuts the node's own connection (built-in broker only), so the broker publishes its NDEATH
   * Will; the node reconnects a few seconds later with the next bdSeq. False when it cannot.
   */
  kill(): boolean;
}

export function createSparkplug(
  out: DemoOutput,
  random: () => number,
  connect?: (will: Uint8Array) => Promise<DeviceLink>,
  reconnectMs = 5000,
): SparkplugNode {
  const started = Date.now();
  let bdSeq = 0;
  let seq = 0;
  let link: DemoLink = out.link;
  let own: DeviceLink | undefined;
  let stopForget: (() => Promise<void>) | undefined;
  let alive = false;
  // Sparkplug B: seq runs 0..255 and wraps; every NBIRTH starts it again at 0.
  const nextSeq = (): number => (seq = (seq + 1) % 256);

  let cycles = 182_000 + Math.floor(random() * 1000);
  let pressRunning = true;
  const node: Metric[] = [
    fixed('Node Control/Rebirth', 1, 'Boolean', false),
    fixed('Properties/Hardware Make', 2, 'String', 'Topograph Demo'),
    fixed('Properties/OS', 3, 'String', 'Linux 6.1'),
    { name: 'Uptime', alias: 4, type: 'Int64', unit: 's', read: () => Math.round((Date.now() - started) / 1000), next: () => Math.round((Date.now() - started) / 1000) },
    walking('CPU Load', 5, '%', new RandomWalk(23, 2, 2, 95, 1, random)),
  ];
  const devices: Record<string, Metric[]> = {
    'Press-1': [
      walking('Hydraulics/Pressure', 10, 'bar', new RandomWalk(182, 1.5, 140, 220, 1, random)),
      walking('Hydraulics/Oil Temperature', 11, '°C', new RandomWalk(48, 0.2, 30, 75, 1, random)),
      { name: 'Cycle Count', alias: 12, type: 'UInt64', read: () => cycles, next: () => (pressRunning ? (cycles += 1 + Math.floor(random() * 2)) : undefined) },
      {
        name: 'Running',
        alias: 13,
        type: 'Boolean',
        read: () => pressRunning,
        next: () => (random() < 0.03 ? (pressRunning = !pressRunning) : undefined),
      },
      fixed('Mode', 14, 'String', 'AUTO'),
    ],
    'Chiller-2': [
      walking('Supply Temperature', 20, '°C', new RandomWalk(7, 0.08, 4, 12, 2, random)),
      walking('Return Temperature', 21, '°C', new RandomWalk(12, 0.08, 8, 17, 2, random)),
      walking('Compressor/Current', 22, 'A', new RandomWalk(31, 0.6, 0, 60, 2, random)),
      { name: 'Alarm', alias: 23, type: 'Boolean', read: () => false, next: () => undefined },
    ],
  };

  const encode = (payload: UPayload): Uint8Array => codec.encodePayload(payload);
  const death = (): Uint8Array => encode({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] });

  async function births(): Promise<void> {
    const now = Date.now();
    seq = 0;
    await out.bytes(
      sparkplugTopic('NBIRTH'),
      encode({ timestamp: now, seq, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq, timestamp: now }, ...node.map((m) => birthMetric(m, now))] }),
      { via: link },
    );
    for (const [device, metrics] of Object.entries(devices)) {
      await out.bytes(sparkplugTopic('DBIRTH', device), encode({ timestamp: now, seq: nextSeq(), metrics: metrics.map((m) => birthMetric(m, now)) }), { via: link });
    }
  }

  function data(type: 'NDATA' | 'DDATA', metrics: Metric[], device?: string): void {
    if (!alive) return;
    const now = Date.now();
    const changed: UMetric[] = [];
    for (const metric of metrics) {
      const value = metric.next();
      if (value !== undefined) changed.push({ alias: metric.alias, type: metric.type, value, timestamp: now });
    }
    if (changed.length === 0) return;
    void out.bytes(sparkplugTopic(type, device), encode({ timestamp: now, seq: nextSeq(), metrics: changed }), { via: link });
  }

  async function onCommand(payload: Uint8Array): Promise<void> {
    let decoded: UPayload;
    try {
      decoded = codec.decodePayload(payload);
    } catch {
      return;
    }
    const rebirth = decoded.metrics?.some((m) => (m.name === 'Node Control/Rebirth' || m.alias === 1) && m.value === true);
    if (rebirth && alive) await births();
  }

  const streams: DemoStream[] = [
    { weight: 0.4, emit: () => data('NDATA', node) },
    ...Object.entries(devices).map(([device, metrics]) => ({ weight: device === 'Press-1' ? 1.5 : 0.8, emit: () => data('DDATA', metrics, device) })),
  ];

  let running = false;
  let reconnect: ReturnType<typeof setTimeout> | undefined;

  async function online(): Promise<void> {
    if (connect) {
      // Sparkplug's NDEATH is the node's MQTT Will, registered in CONNECT with this session's bdSeq.
      own = await connect(death());
      link = own;
    }
    stopForget = await link.listen(sparkplugTopic('NCMD'), (message) => void onCommand(message.payload)).catch(() => undefined);
    alive = true;
    await births();
  }

  function comeBackLater(): void {
    reconnect = setTimeout(() => {
      reconnect = undefined;
      if (running) online().catch(() => running && comeBackLater());
    }, reconnectMs);
  }

  return {
    devices: 1 + Object.keys(devices).length,
    streams,
    async start() {
      running = true;
      await online();
    },
    async stop() {
      running = false;
      if (reconnect) clearTimeout(reconnect);
      reconnect = undefined;
      if (!alive) return;
      alive = false;
      await stopForget?.();
      for (const device of Object.keys(devices)) {
        await out.bytes(sparkplugTopic('DDEATH', device), encode({ timestamp: Date.now(), seq: nextSeq() }), { via: link });
      }
      // A clean shutdown sends NDEATH itself before DISCONNECT (which makes the broker drop the Will).
      await out.bytes(sparkplugTopic('NDEATH'), death(), { qos: 1, via: link });
      bdSeq = (bdSeq + 1) % 256;
      await own?.close();
      own = undefined;
      link = out.link;
    },
    rebirth: async () => {
      if (alive) await births();
    },
    kill: () => {
      if (!own || !alive) return false;
      alive = false;
      stopForget = undefined;
      own.kill();
      own = undefined;
      link = out.link;
      // The broker now publishes the Will (NDEATH with this bdSeq); the next session gets the next one.
      bdSeq = (bdSeq + 1) % 256;
      comeBackLater();
      return true;
    },
  };
}
