/**
 * The broker part: the built-in MQTT broker ("Local broker") and the demo devices that publish
 * to it or through a connected profile. Both stop when the engine closes.
 */
import type { BrokerStatus, ParsedParamsOf } from '../../common/api';
import { brokerTarget, DemoRunner, sessionTarget, type WillTiming } from '../demo';
import type { Part } from '../parts';
import type { EngineContext, Sessions } from '../services';
import { LocalBroker, type LocalBrokerOptions } from './local-broker';

/** Test and tooling hooks into the running demo. */
export interface DemoControl {
  /** Cuts the demo irrigation pump's connection so the broker publishes its Last Will. */
  killWillDevice(): Promise<boolean>;
  /** Makes the Sparkplug edge node publish its births again. */
  rebirth(): Promise<void>;
  /** Cuts the Sparkplug edge node's connection so the broker publishes its NDEATH Will. */
  killSparkplugNode(): boolean;
}

export interface BrokerPart extends Part<'broker' | 'demo'> {
  readonly demo: DemoControl;
}

export interface BrokerPartOptions {
  willTiming?: WillTiming;
  /** Least time between two broker.status events. */
  statusIntervalMs?: number;
}

const DEFAULTS: LocalBrokerOptions = { port: 1883, host: '127.0.0.1' };
const DEMO_CLIENT_PREFIX = 'topograph-demo';

const sameRequest = (a: LocalBrokerOptions, b: LocalBrokerOptions): boolean =>
  a.port === b.port && a.host === b.host && (a.username ?? '') === (b.username ?? '') && (a.password ?? '') === (b.password ?? '');

export function createBrokerPart(ctx: EngineContext, deps: { sessions: Sessions }, options: BrokerPartOptions = {}): BrokerPart {
  const local = new LocalBroker();
  let lastRequest: LocalBrokerOptions = DEFAULTS;
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const status = (): BrokerStatus => {
    const info = local.listening;
    return {
      running: info !== undefined,
      host: info?.host ?? lastRequest.host,
      port: info?.port ?? lastRequest.port,
      addresses: info?.addresses ?? [],
      clients: local.clientList,
      ...(info?.message ? { message: info.message } : {}),
      protocolVersion: 4,
      authRequired: info?.credentials !== undefined,
      demo: runner.state(),
    };
  };

  // Client churn can be fast (a reconnect loop); the UI needs a few updates a second at most.
  const emitSoon = (): void => {
    if (statusTimer || closed) return;
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      ctx.events.emit({ type: 'broker.status', status: status() });
    }, options.statusIntervalMs ?? 250);
  };

  const runner = new DemoRunner({ ...(options.willTiming ? { willTiming: options.willTiming } : {}), onDidChange: emitSoon });
  local.onDidChange(emitSoon);
  local.onDidSubscribe((filters, clientId) => {
    if (!clientId.startsWith(DEMO_CLIENT_PREFIX)) runner.noticeSubscription(filters);
  });

  // One start or stop at a time: a double click must not bind two servers.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const demoOnBroker = (): boolean => runner.running && runner.targetConnectionId === undefined;

  const startDemoOnBroker = async (messagesPerSecond: number): Promise<void> => {
    const info = local.listening ?? (await local.start(lastRequest));
    await runner.start(await brokerTarget({ port: info.port, ...(info.credentials ?? {}) }), messagesPerSecond);
  };

  const startBroker = async (request: LocalBrokerOptions): Promise<BrokerStatus> => {
    const current = local.listening;
    if (current && sameRequest(current.requested, request)) return status();
    // The demo's own clients would lose their broker: bring them along to the new one.
    const rate = demoOnBroker() ? runner.state().messagesPerSecond : undefined;
    if (rate !== undefined) await runner.stop();
    await local.start(request);
    lastRequest = request;
    if (rate !== undefined) await startDemoOnBroker(rate);
    return status();
  };

  const startDemo = async ({ connectionId, messagesPerSecond }: ParsedParamsOf<'demo.start'>): Promise<BrokerStatus> => {
    if (runner.running && runner.targetConnectionId === connectionId) {
      runner.setRate(messagesPerSecond);
      return status();
    }
    if (runner.running) await runner.stop();
    if (connectionId === undefined) await startDemoOnBroker(messagesPerSecond);
    else await runner.start(sessionTarget(deps.sessions, connectionId), messagesPerSecond);
    return status();
  };

  return {
    handlers: {
      'broker.start': ({ port, host, username, password }) =>
        serial(() => startBroker({ port, host, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) })),
      'broker.stop': () =>
        serial(async () => {
          if (demoOnBroker()) await runner.stop();
          await local.stop();
          return status();
        }),
      'broker.status': () => status(),
      'demo.start': (params) => serial(() => startDemo(params)),
      'demo.stop': () =>
        serial(async () => {
          await runner.stop();
          return status();
        }),
    },
    demo: {
      killWillDevice: () => runner.killWillDevice(),
      rebirth: () => runner.rebirth(),
      killSparkplugNode: () => runner.killSparkplugNode(),
    },
    close: () =>
      serial(async () => {
        closed = true;
        if (statusTimer) clearTimeout(statusTimer);
        statusTimer = undefined;
        await runner.stop();
        await local.stop();
      }),
  };
}
