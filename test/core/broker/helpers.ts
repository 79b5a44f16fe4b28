// The broker part on its own (no profile connected), called through the real boundary validation,
// with mqtt.js clients of the test's own as peers.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { BrokerStatus, EngineEvent, MethodName, ParamsOf } from '../../../electron/common/api';
import { dispatch } from '../../../electron/common/dispatch';
import { ApiFailure, type Result } from '../../../electron/common/result';
import { createBrokerPart, type BrokerPart, type BrokerPartOptions } from '../../../electron/core/broker';
import type { EngineContext, Sessions } from '../../../electron/core/services';

export { waitFor } from '../connection/helpers';

type BrokerMethod = Extract<MethodName, `broker.${string}` | `demo.${string}`>;

export interface BrokerRig {
  part: BrokerPart;
  events: EngineEvent[];
  call(method: BrokerMethod, params: ParamsOf<BrokerMethod>): Promise<Result<BrokerStatus>>;
  ok<M extends BrokerMethod>(method: M, params: ParamsOf<M>): Promise<BrokerStatus>;
  close(): Promise<void>;
}

const noSessions: Sessions = {
  live: () => {
    throw new ApiFailure('not-connected', 'This connection is not connected.');
  },
};

export function makeBrokerRig(options: BrokerPartOptions = {}, sessions: Sessions = noSessions): BrokerRig {
  const events: EngineEvent[] = [];
  const ctx: EngineContext = { dataDir: '/nonexistent', host: 'web', version: 'test', events: { emit: (event) => events.push(event) }, problems: [] };
  const part = createBrokerPart(ctx, { sessions }, { statusIntervalMs: 20, ...options });
  const handlers = part.handlers as unknown as Parameters<typeof dispatch>[0];
  const call = (method: string, params: unknown) => dispatch(handlers, method, params) as Promise<Result<BrokerStatus>>;
  return {
    part,
    events,
    call,
    ok: async (method, params) => {
      const result = await call(method, params);
      if (!result.ok) throw new Error(`${method} failed (${result.error.code}): ${result.error.message}`);
      return result.value;
    },
    close: () => part.close(),
  };
}

const clients = new Set<MqttClient>();

/** A connected mqtt.js 3.1.1 client; rejects with the broker's refusal. */
export function connectClient(port: number, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.add(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
  });
}

export async function endClients(): Promise<void> {
  await Promise.all([...clients].map((client) => client.endAsync(true).catch(() => undefined)));
  clients.clear();
}

export interface Received {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** Everything `client` receives from now on. */
export function collect(client: MqttClient): Received[] {
  const list: Received[] = [];
  client.on('message', (topic, payload, packet) => list.push({ topic, payload, qos: packet.qos, retain: packet.retain }));
  return list;
}
