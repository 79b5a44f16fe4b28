/**
 * A fake TopographApi handed to the renderer through useTransport(): it answers calls from
 * per-method handlers, records every call, and can push engine events. It stands where the
 * transport stands, at the renderer's own boundary; nothing behind it is imitated.
 */
import type { EngineEvent, MethodName, ParamsOf, ResultOf, TopographApi } from '@common/api';
import type { ProfileView } from '@common/model';
import { fail, ok, type Result } from '@common/result';
import { useTransport } from '@renderer/services/api';

type Handler<M extends MethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

export class FakeApi implements TopographApi {
  readonly calls: { method: MethodName; params: unknown }[] = [];
  private readonly handlers = new Map<MethodName, (params: unknown) => unknown>();
  private readonly failures = new Map<MethodName, string>();
  private readonly listeners = new Set<(batch: EngineEvent[]) => void>();

  on<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as (params: unknown) => unknown);
    return this;
  }

  /** Makes a method answer with a failed Result carrying `message`. */
  failWith(method: MethodName, message: string): this {
    this.failures.set(method, message);
    return this;
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    this.calls.push({ method, params });
    const failure = this.failures.get(method);
    if (failure) return fail('connection-failed', failure);
    const handler = this.handlers.get(method);
    if (handler) return ok((await handler(params)) as ResultOf<M>);
    if (method === 'settings.get') return ok({} as ResultOf<M>);
    if (method.endsWith('.list') || method === 'connection.stats' || method === 'profiles.presets') return ok([] as ResultOf<M>);
    return ok(undefined as ResultOf<M>);
  }

  onEvents(listener: (batch: EngineEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...batch: EngineEvent[]): void {
    for (const listener of this.listeners) listener(batch);
  }

  paramsOf<M extends MethodName>(method: M): ParamsOf<M>[] {
    return this.calls.filter((entry) => entry.method === method).map((entry) => entry.params as ParamsOf<M>);
  }
}

export function installFakeApi(): FakeApi {
  const api = new FakeApi();
  useTransport(api);
  return api;
}

/** A saved profile as the engine would list it. */
export function profileView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    id: 'p1',
    name: 'Office broker',
    protocolVersion: 5,
    transport: 'mqtt',
    host: 'broker.local',
    port: 1883,
    path: '/mqtt',
    clientId: 'topograph-test',
    clientIdSuffix: true,
    username: 'alice',
    keepalive: 60,
    clean: true,
    sessionExpiryInterval: 0,
    connectTimeoutMs: 10_000,
    reconnect: { enabled: true, initialDelayMs: 1000, maxDelayMs: 30_000 },
    tls: {
      ca: { kind: 'none', value: '' },
      cert: { kind: 'none', value: '' },
      key: { kind: 'none', value: '' },
      pfxPath: '',
      rejectUnauthorized: true,
      servername: '',
      alpn: [],
    },
    connectProperties: { userProperties: [] },
    will: null,
    subscriptions: [{ filter: '#', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] }],
    retention: { maxPerTopic: 1000, maxBytes: 1_000_000_000, maxAgeSeconds: 30 * 86_400 },
    secrets: { password: false, keyPassphrase: false, pfxPassphrase: false, keyPem: false },
    ...overrides,
  };
}
