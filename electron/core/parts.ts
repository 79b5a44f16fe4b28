import type { ApiHandlers, MethodName } from '../common/api';

/** Handlers for the methods whose names start with one of `Prefix`. */
export type HandlersFor<Prefix extends string> = Pick<ApiHandlers, Extract<MethodName, `${Prefix}.${string}`>>;

/** What each part of the engine gives back to engine.ts. */
export interface Part<Prefix extends string> {
  handlers: HandlersFor<Prefix>;
  /** Releases sockets, timers and files. */
  close(): Promise<void>;
}
