/** Every request across the boundary answers with a Result; nothing throws across it. */

export type ErrorCode =
  | 'invalid-argument'
  | 'unknown-method'
  | 'not-found'
  | 'not-connected'
  | 'connection-failed'
  | 'protocol'
  | 'refused-by-broker'
  | 'storage'
  | 'io'
  | 'unauthorized'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  /** A sentence a person can act on: the cause and the way out. */
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, details?: unknown): { ok: false; error: ApiError } =>
  details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };

/** An error a handler throws on purpose; the dispatcher turns it into a failed Result. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
