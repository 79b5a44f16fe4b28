/**
 * The shape the preload exposes as `window[BRIDGE_KEY]` (see api.ts). The renderer's IpcTransport
 * wraps it into a TopographApi. Deliberately loose at this edge (`string`, `unknown`): the preload
 * refuses unknown method names and main validates every argument, so the renderer cannot be trusted
 * to have typed them right.
 */
import type { EventBatch } from './api';
import type { Result } from './result';

export interface TopographBridge {
  /** Never rejects: IPC failures and refusals come back as failed Results. */
  invoke(method: string, params: unknown): Promise<Result<unknown>>;
  /** Receives every event batch the engine emits; returns a function that unsubscribes. */
  onEvents(listener: (batch: EventBatch) => void): () => void;
}

/** The names the bridge exposes, in order; a test holds the preload to exactly these. */
export const BRIDGE_FUNCTIONS = ['invoke', 'onEvents'] as const satisfies readonly (keyof TopographBridge)[];
