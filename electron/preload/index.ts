/**
 * The sandboxed preload: the renderer's only way to the engine. It exposes one function per method
 * of the contract (`methods['tree.children'](params)`) and `onEvents`, nothing else: the page can
 * name no channel of its own, and never gets ipcRenderer or an IpcRendererEvent (either would give
 * it raw IPC).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, IPC_EVENTS_CHANNEL, IPC_PREFIX, METHOD_NAMES, ipcChannel, isMethodName, type EventBatch, type MethodName } from '../common/api';
import type { BridgeMethod, TopographBridge } from '../common/bridge';
import { fail, type Result } from '../common/result';

function methodFor(method: MethodName): BridgeMethod {
  const channel = ipcChannel(method);
  // The channel comes from the contract alone; checked once here so a change to ipcChannel cannot
  // quietly point a method at the events channel or outside Topograph's prefix.
  if (!isMethodName(method) || !channel.startsWith(IPC_PREFIX) || channel === IPC_EVENTS_CHANNEL) {
    throw new Error(`The preload refused to expose "${method}": its IPC channel "${channel}" is not a method channel of the contract.`);
  }
  return async (params: unknown): Promise<Result<unknown>> => {
    try {
      return (await ipcRenderer.invoke(channel, params)) as Result<unknown>;
    } catch (error) {
      // Reached when params cannot be cloned (functions, DOM nodes) or main has gone away.
      const cause = error instanceof Error ? error.message : String(error);
      return fail('internal', `Topograph could not deliver ${method} to its engine: ${cause}. Reload the window (Ctrl+R) and try again.`);
    }
  };
}

function onEvents(listener: (batch: EventBatch) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvents needs a function.');
  const forward = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
  ipcRenderer.on(IPC_EVENTS_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, forward);
  };
}

const methods = Object.fromEntries(METHOD_NAMES.map((method) => [method, methodFor(method)])) as TopographBridge['methods'];
const bridge: TopographBridge = { methods, onEvents };

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
