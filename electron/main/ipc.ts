/**
 * One `ipcMain.handle` per contract method. The renderer is untrusted: each request must come from
 * the main frame of one of our windows showing our own page, and its arguments are validated by the
 * engine's shared dispatcher before any handler runs. Every answer is a Result; nothing throws back.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { METHOD_NAMES, ipcChannel, type MethodName } from '../common/api';
import { fail, type Result } from '../common/result';
import { isTrustedUrl } from './origin';

/** What IPC needs of the engine. */
export interface EngineCaller {
  call(method: unknown, params: unknown): Promise<Result<unknown>>;
}

export const UNAUTHORIZED_MESSAGE =
  'This request came from a page Topograph did not load, so it was refused. Restart Topograph if this keeps happening.';

/** Longest error message sent back; a refusal must not echo a megabyte of input across IPC. */
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
 * megabyte Uint8Array sent to a method without arguments would otherwise cost seconds of main-process
 * CPU while the validator lists a million unexpected keys.
 */
export function argumentShapeProblem(method: MethodName, params: unknown): Result<never> | undefined {
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

/** The sender is the top frame of one of our own windows, showing one of our own pages. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, trustedPrefixes: readonly string[]): boolean {
  let frame: WebFrameMain | null;
  try {
    // senderFrame is null once the frame navigated away or was destroyed.
    frame = event.senderFrame;
  } catch {
    return false;
  }
  if (!frame) return false;
  const ours = BrowserWindow.getAllWindows().some((window) => !window.isDestroyed() && window.webContents.mainFrame === frame);
  return ours && isTrustedUrl(frame.url, trustedPrefixes);
}

export function createIpcHandler(
  engine: EngineCaller,
  method: MethodName,
  trustedPrefixes: readonly string[],
): (event: IpcMainInvokeEvent, params?: unknown) => Promise<Result<unknown>> {
  return async (event, params) => {
    if (!isTrustedSender(event, trustedPrefixes)) return fail('unauthorized', UNAUTHORIZED_MESSAGE);
    const shapeProblem = argumentShapeProblem(method, params);
    if (shapeProblem) return shapeProblem;
    try {
      return bounded(await engine.call(method, params));
    } catch (error) {
      // engine.call never throws by contract; this only guards the boundary if that ever breaks.
      const message = error instanceof Error ? error.message : String(error);
      return fail('internal', `Topograph hit an internal error in ${method}: ${message}`);
    }
  };
}

/** Registers every method; returns a function that removes them again. */
export function registerIpc(engine: EngineCaller, trustedPrefixes: readonly string[]): () => void {
  for (const method of METHOD_NAMES) ipcMain.handle(ipcChannel(method), createIpcHandler(engine, method, trustedPrefixes));
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
  };
}
