import { BRIDGE_KEY, type TopographApi } from '@common/api';
import type { TopographBridge } from '@common/bridge';
import { fail } from '@common/result';
import { browserSocketFactory } from './browser-socket';
import { IpcTransport } from './IpcTransport';
import { StateEmitter, type TransportState } from './state';
import { takeToken } from './token';
import { WebSocketTransport } from './WebSocketTransport';

export type { TransportState } from './state';

const state = new StateEmitter('connecting');

/**
 * Follows the transport's reachability: 'connected', 'connecting' or 'disconnected'. Calls the
 * listener at once with the current state. Inside Electron it is always 'connected'. After a
 * 'disconnected' → 'connected' change, events may have been missed: refetch what is on screen.
 */
export function onTransportState(listener: (state: TransportState) => void): () => void {
  return state.on(listener);
}

export const NO_TOKEN_MESSAGE =
  'This page was opened without the web host’s access token. Open the full address printed in the terminal ' +
  'where the web host runs (it ends with ?token=…).';

function bridgeOf(scope: object): TopographBridge | undefined {
  const candidate = (scope as Record<string, unknown>)[BRIDGE_KEY];
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const bridge = candidate as Partial<TopographBridge>;
  const hasMethods = typeof bridge.methods === 'object' && bridge.methods !== null;
  return hasMethods && typeof bridge.onEvents === 'function' ? (candidate as TopographBridge) : undefined;
}

/**
 * Picks the transport: the preload's IPC bridge inside Electron, the web host's WebSocket in a
 * browser. Nothing else in the renderer knows which one it got.
 */
export function createTransport(): TopographApi {
  const bridge = bridgeOf(window);
  if (bridge) {
    state.set('connected');
    return new IpcTransport(bridge);
  }
  const token = takeToken(window);
  if (!token) {
    state.set('disconnected');
    return {
      call: async () => fail('unauthorized', NO_TOKEN_MESSAGE),
      onEvents: () => () => {},
    };
  }
  const transport = new WebSocketTransport({ connect: browserSocketFactory(window.location, token) });
  transport.onState((next) => state.set(next));
  return transport;
}
