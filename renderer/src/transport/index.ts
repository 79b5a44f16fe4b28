import type { TopographApi } from '@common/api';

/**
 * Picks the transport: the preload's IPC bridge inside Electron, the web host's WebSocket in a
 * browser. Nothing else in the renderer knows which one it got. (Implemented by the web-host work.)
 */
export function createTransport(): TopographApi {
  throw new Error('No transport yet.');
}
