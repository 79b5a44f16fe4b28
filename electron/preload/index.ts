/**
 * The sandboxed preload: the renderer's only way to the engine. It exposes exactly `invoke` and
 * `onEvents`, refuses method names the contract does not have, and never hands out ipcRenderer or
 * an IpcRendererEvent (either would give the page raw IPC).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, IPC_EVENTS_CHANNEL, ipcChannel, isMethodName, type EventBatch } from '../common/api';
import type { TopographBridge } from '../common/bridge';
import { fail, type Result } from '../common/result';

async function invoke(method: string, params: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? method.slice(0, 100) : typeof method;
    return fail('unknown-method', `Unknown method "${shown}". See docs/API.md for the list of methods.`);
  }
  try {
    return (await ipcRenderer.invoke(ipcChannel(method), params)) as Result<unknown>;
  } catch (error) {
    // Reached when params cannot be cloned (functions, DOM nodes) or main has gone away.
    const cause = error instanceof Error ? error.message : String(error);
    return fail('internal', `Topograph could not deliver ${method} to its engine: ${cause}. Reload the window (Ctrl+R) and try again.`);
  }
}

function onEvents(listener: (batch: EventBatch) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvents needs a function.');
  const forward = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
  ipcRenderer.on(IPC_EVENTS_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, forward);
  };
}

const bridge: TopographBridge = { invoke, onEvents };

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
