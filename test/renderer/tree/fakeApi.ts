/**
 * A TopographApi for component tests: answers from handlers the test registers, records every call
 * and lets the test emit engine events. It sits where the real transport does (useTransport), so
 * stores and components run unchanged above it.
 */
import type { EngineEvent, EventBatch, MethodName, ParamsOf, ResultOf, TopographApi } from '@common/api';
import { OUTLINE_RECORDED, OUTLINE_RETAINED, OUTLINE_SYS, type TreeNodeView, type TreeOutline } from '@common/session';
import { ApiFailure, type Result } from '@common/result';
import { useTransport } from '@renderer/services/api';

type Handler<M extends MethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

export class FakeApi implements TopographApi {
  readonly calls: { method: MethodName; params: unknown }[] = [];
  private readonly handlers = new Map<MethodName, (params: unknown) => unknown>();
  private readonly listeners = new Set<(batch: EventBatch) => void>();

  on<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as (params: unknown) => unknown);
    return this;
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) return { ok: false, error: { code: 'internal', message: `The fake has no answer for ${method}.` } };
    try {
      return { ok: true, value: (await handler(params)) as ResultOf<M> };
    } catch (error) {
      if (error instanceof ApiFailure) return { ok: false, error: { code: error.code, message: error.message } };
      throw error;
    }
  }

  onEvents(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...events: EngineEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  callsOf<M extends MethodName>(method: M): ParamsOf<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as ParamsOf<M>);
  }
}

/** Installs a fresh fake as the renderer's transport. */
export function installFakeApi(): FakeApi {
  const api = new FakeApi();
  api.on('settings.get', () => ({})).on('settings.set', () => undefined);
  useTransport(api);
  return api;
}

let nextId = 1000;

/** A tree node view with sensible defaults; `topic` decides name and depth. */
export function nodeView(topic: string, overrides: Partial<TreeNodeView> = {}): TreeNodeView {
  const name = topic.split('/').at(-1) ?? '';
  return {
    id: nextId++,
    parentId: 0,
    name,
    topic,
    childCount: 0,
    messages: 1,
    subtreeMessages: 1,
    subtreeTopics: 1,
    firstSeen: 1,
    lastChanged: 1,
    rate: 0,
    sys: topic.startsWith('$'),
    retained: false,
    recorded: false,
    ...overrides,
  };
}

/** What the engine answers to "expand all" for these views (listed parents first). */
export function outlineOf(nodeId: number, views: readonly TreeNodeView[], truncated = false): TreeOutline {
  return {
    nodeId,
    ids: views.map((v) => v.id),
    parents: views.map((v) => v.parentId),
    names: views.map((v) => v.name),
    childCounts: views.map((v) => v.childCount),
    messages: views.map((v) => v.messages),
    subtreeMessages: views.map((v) => v.subtreeMessages),
    subtreeTopics: views.map((v) => v.subtreeTopics),
    lastChanged: views.map((v) => v.lastChanged - 1),
    timeBase: 1,
    flags: views.map((v) => (v.sys ? OUTLINE_SYS : 0) | (v.retained ? OUTLINE_RETAINED : 0) | (v.recorded ? OUTLINE_RECORDED : 0)),
    truncated,
  };
}
