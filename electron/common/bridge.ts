/**
 * The shape the preload exposes as `window[BRIDGE_KEY]` (see api.ts): one function per method of
 * the contract, under `methods`, plus `onEvents`. The renderer's IpcTransport wraps it into a
 * TopographApi. Deliberately loose at this edge (`unknown`): main validates every argument, so the
 * renderer cannot be trusted to have typed them right.
 */
import type { EventBatch, MethodName } from './api';
import type { Result } from './result';

/** Sends one method of the contract to main. Never rejects: IPC failures come back as failed Results. */
export type BridgeMethod = (params: unknown) => Promise<Result<unknown>>;

export interface TopographBridge {
  /** Exactly the contract's methods (METHOD_NAMES), each bound to its own IPC channel. */
  readonly methods: { readonly [M in MethodName]: BridgeMethod };
  /** Receives every event batch the engine emits; returns a function that unsubscribes. */
  onEvents(listener: (batch: EventBatch) => void): () => void;
}

/** The names the bridge exposes at its top level, in order; a test holds the preload to exactly these. */
export const BRIDGE_MEMBERS = ['methods', 'onEvents'] as const satisfies readonly (keyof TopographBridge)[];
