/**
 * Boundary validation, shared by every host (IPC in main, JSON-RPC in the web host):
 * an unknown method or a bad argument is refused here, before the engine sees it.
 */
import { z } from 'zod';
import { apiMethods, isMethodName, type ApiHandlers, type MethodName } from './api';
import { ApiFailure, fail, ok, type Result } from './result';

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.').slice(0, 200) : 'the request'}: ${issue.message.slice(0, 300)}`)
    .join('; ');
}

/** Longest error message sent back; a refusal must not echo a megabyte of input back to the caller. */
export const MAX_ERROR_MESSAGE = 1_000;

function bounded(result: Result<unknown>): Result<unknown> {
  if (result.ok || result.error.message.length <= MAX_ERROR_MESSAGE) return result;
  return { ok: false, error: { ...result.error, message: `${result.error.message.slice(0, MAX_ERROR_MESSAGE)}…` } };
}

/** More top-level keys than any method takes; refusing early keeps a flood of keys off the validator. */
export const MAX_ARGUMENT_KEYS = 100;

/**
 * Every method takes one object of named arguments (or nothing). Anything else, including typed
 * arrays, maps and objects with thousands of keys, is refused before schema validation: a
 * megabyte Uint8Array sent to a method without arguments would otherwise cost seconds of engine
 * CPU while the validator lists a million unexpected keys.
 */
export function argumentShapeProblem(method: string, params: unknown): Result<never> | undefined {
  if (params === undefined || params === null) return undefined;
  const proto: unknown = typeof params === 'object' ? Object.getPrototypeOf(params) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    return fail('invalid-argument', `Invalid arguments for ${method}: the request must be an object of named arguments.`);
  }
  let keys = 0;
  for (const key in params as object) {
    if (Object.prototype.hasOwnProperty.call(params, key) && ++keys > MAX_ARGUMENT_KEYS) {
      return fail('invalid-argument', `Invalid arguments for ${method}: more than ${MAX_ARGUMENT_KEYS} named arguments.`);
    }
  }
  return undefined;
}

export function validateRequest(method: unknown, params: unknown): Result<{ method: MethodName; params: unknown }> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? method.slice(0, 100) : typeof method;
    return fail('unknown-method', `Unknown method "${shown}". See docs/API.md for the list of methods.`);
  }
  const shapeProblem = argumentShapeProblem(method, params);
  if (shapeProblem) return shapeProblem;
  const parsed = apiMethods[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    return fail('invalid-argument', `Invalid arguments for ${method}: ${describeIssues(parsed.error)}.`);
  }
  return ok({ method, params: parsed.data });
}

/** Validates, calls the handler, and turns anything thrown into a failed Result. */
export async function dispatch(handlers: ApiHandlers, method: unknown, params: unknown): Promise<Result<unknown>> {
  const request = validateRequest(method, params);
  if (!request.ok) return bounded(request);
  const handler = handlers[request.value.method] as (p: unknown) => unknown;
  try {
    return ok(await handler(request.value.params));
  } catch (error) {
    if (error instanceof ApiFailure) return bounded(fail(error.code, error.message, error.details));
    const message = error instanceof Error ? error.message : String(error);
    return bounded(fail('internal', `Topograph hit an internal error in ${request.value.method}: ${message}`));
  }
}
