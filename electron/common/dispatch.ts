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
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'the request'}: ${issue.message}`)
    .join('; ');
}

export function validateRequest(method: unknown, params: unknown): Result<{ method: MethodName; params: unknown }> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? method.slice(0, 100) : typeof method;
    return fail('unknown-method', `Unknown method "${shown}". See docs/API.md for the list of methods.`);
  }
  const parsed = apiMethods[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    return fail('invalid-argument', `Invalid arguments for ${method}: ${describeIssues(parsed.error)}.`);
  }
  return ok({ method, params: parsed.data });
}

/** Validates, calls the handler, and turns anything thrown into a failed Result. */
export async function dispatch(handlers: ApiHandlers, method: unknown, params: unknown): Promise<Result<unknown>> {
  const request = validateRequest(method, params);
  if (!request.ok) return request;
  const handler = handlers[request.value.method] as (p: unknown) => unknown;
  try {
    return ok(await handler(request.value.params));
  } catch (error) {
    if (error instanceof ApiFailure) return fail(error.code, error.message, error.details);
    const message = error instanceof Error ? error.message : String(error);
    return fail('internal', `Topograph hit an internal error in ${request.value.method}: ${message}`);
  }
}
