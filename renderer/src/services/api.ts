/**
 * The renderer's one door to the engine. Components and stores call `call()` and listen with
 * `onEvent()`; which transport is underneath (IPC or WebSocket) is decided once, here.
 */
import type { EngineEvent, MethodName, ParamsOf, ResultOf, TopographApi } from '@common/api';
import type { ApiError, Result } from '@common/result';
import { createTransport } from '@renderer/transport';

let transport: TopographApi | undefined;
const listeners = new Map<EngineEvent['type'], Set<(event: EngineEvent) => void>>();

/** Lets tests (and the app's entry) hand in a transport; otherwise one is created on first use. */
export function useTransport(next: TopographApi): void {
  transport = next;
  transport.onEvents((batch) => {
    for (const event of batch) {
      const set = listeners.get(event.type);
      if (set) for (const listener of set) listener(event);
    }
  });
}

function api(): TopographApi {
  if (!transport) useTransport(createTransport());
  return transport as TopographApi;
}

/** A failed request, carrying the engine's sentence for the person. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/** Calls a method and returns its Result as it is. */
export function request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
  return api().call(method, params);
}

/** Calls a method; a failed Result becomes an ApiCallError whose message is the engine's sentence. */
export async function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const result = await api().call(method, params);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Listens to one kind of engine event; returns a function that stops listening. */
export function onEvent<T extends EngineEvent['type']>(type: T, listener: (event: EventOf<T>) => void): () => void {
  api();
  let set = listeners.get(type);
  if (!set) listeners.set(type, (set = new Set()));
  const wrapped = listener as (event: EngineEvent) => void;
  set.add(wrapped);
  return () => set.delete(wrapped);
}
