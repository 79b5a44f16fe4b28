/**
 * Drives the data part the way the connection part does: a bare mqtt.js v5 client whose
 * handleMessage hook hands each PUBLISH to `recorder.record` and lets mqtt.js read on only when
 * the recorder calls back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { apiMethods, type EngineEvent, type ParamsOf, type ResultOf } from '../../../electron/common/api';
import type { ProfileView, RetentionSettings } from '../../../electron/common/model';
import { ApiFailure } from '../../../electron/common/result';
import { createDataPart, type DataPart, type DataPartOptions } from '../../../electron/core/data';
import { EventHub } from '../../../electron/core/events';
import type { ConnectionRecorder, EngineContext, LiveSession, ReceivedMessage, Sessions } from '../../../electron/core/services';

export const RETENTION: RetentionSettings = { maxPerTopic: 1_000_000, maxBytes: 1_000_000_000_000, maxAgeSeconds: 0 };

export interface DataHarness {
  part: DataPart;
  dataDir: string;
  hub: EventHub;
  /** Every event emitted so far, flushed. */
  events: EngineEvent[];
  /** Runs the producers and delivers what they emitted. */
  flush(): void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
export async function cleanUp(): Promise<void> {
  for (const clean of cleanups.splice(0).reverse()) await clean();
}

export function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topograph-data-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A data part on `dataDir` whose profiles all use `retention`, and sessions from `live`. */
export function startDataPart(
  dataDir: string,
  options: DataPartOptions & { retention?: RetentionSettings; live?: (connectionId: string) => LiveSession } = {},
): DataHarness {
  const hub = new EventHub(1_000_000);
  const events: EngineEvent[] = [];
  hub.onDidEmit((batch) => events.push(...batch));
  const ctx: EngineContext = {
    dataDir,
    host: 'web',
    version: 'test',
    events: hub,
    problems: [],
    onFlush: (produce) => hub.addProducer(produce),
  };
  const retention = options.retention ?? RETENTION;
  const profiles = {
    get: (id: string): ProfileView => ({ id, retention }) as ProfileView,
    secret: async (): Promise<undefined> => undefined,
  };
  const sessions: Sessions = {
    live: (id) => {
      if (options.live === undefined) throw new ApiFailure('not-connected', 'Not connected in this test.');
      return options.live(id);
    },
  };
  const part = createDataPart(ctx, { profiles, sessions }, options);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await part.close();
    hub.stop();
  };
  cleanups.push(close);
  return { part, dataDir, hub, events, flush: () => hub.flush(), close };
}

export function toReceived(packet: IPublishPacket): ReceivedMessage {
  const user = packet.properties?.userProperties;
  return {
    topic: packet.topic,
    payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    properties:
      user === undefined
        ? {}
        : {
            userProperties: Object.entries(user).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) }))),
          },
    time: Date.now(),
  };
}

/** A subscribed mqtt.js client feeding `recorder` through handleMessage, as the connection part does. */
export async function recordingClient(port: number, filter: string, recorder: ConnectionRecorder, qos: 0 | 1 = 1, rap = false): Promise<MqttClient> {
  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, clean: true });
  client.handleMessage = (packet, done) => recorder.record(toReceived(packet), () => done());
  cleanups.push(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(filter, { qos, rap });
  return client;
}

/** A plain mqtt.js publisher, used as the LiveSession of `retained.clear`. */
export async function publisherSession(port: number, connectionId: string): Promise<LiveSession> {
  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0 });
  cleanups.push(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return {
    connectionId,
    protocolVersion: 5,
    connack: { sessionPresent: false, reasonCode: 0, userProperties: [] },
    publish: async (topic, payload, options) => {
      await client.publishAsync(topic, Buffer.from(payload), { qos: options.qos, retain: options.retain });
      return { kind: options.qos === 0 ? 'sent' : 'acknowledged', packetSize: 0 };
    },
    listen: async () => async () => undefined,
  };
}

/** Resolves once `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type DataMethod = keyof DataPart['handlers'];

/** Calls a data-part method as a host does: params validated (defaults filled) by the contract's schema. */
export async function call<M extends DataMethod>(part: DataPart, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const parsed: unknown = apiMethods[method].params.parse(params);
  const handler = part.handlers[method] as (p: unknown) => Promise<ResultOf<M>> | ResultOf<M>;
  return await handler(parsed);
}
