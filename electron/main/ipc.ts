/**
 * One `ipcMain.handle` per contract method. The renderer is untrusted: each request must come from
 * the main frame of one of our windows showing our own page, and its arguments are validated by the
 * engine's shared dispatcher before any handler runs. Every answer is a Result; nothing throws back.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { METHOD_NAMES, ipcChannel, type MethodName } from '../common/api';
import { fail, type Result } from '../common/result';
export { argumentShapeProblem, MAX_ARGUMENT_KEYS, MAX_ERROR_MESSAGE } from '../common/dispatch';
import { isTrustedUrl } from './origin';

/** What IPC needs of the engine. */
export interface EngineCaller {
  call(method: unknown, params: unknown): Promise<Result<unknown>>;
}

export const UNAUTHORIZED_MESSAGE =
  'This request came from a page Topograph did not load, so it was refused. Restart Topograph if this keeps happening.';

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
    try {
      return await engine.call(method, params);
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
