import { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '@common/web-protocol';
import type { SocketFactory } from './WebSocketTransport';

/**
 * The browser's WebSocket to the web host's /rpc on the page's own origin. The token travels as a
 * subprotocol entry, because a browser cannot set headers on a WebSocket and a query string would
 * put it in logs.
 */
export function browserSocketFactory(location: Pick<Location, 'protocol' | 'host'>, token: string): SocketFactory {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  return (handlers) => {
    const ws = new WebSocket(url, [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token]);
    ws.onopen = () => handlers.onOpen();
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') handlers.onMessage(event.data);
    };
    // 'error' is always followed by 'close', which is where the transport reacts.
    ws.onerror = () => {};
    ws.onclose = () => handlers.onClose();
    return {
      send: (text) => ws.send(text),
      close: () => ws.close(1000),
    };
  };
}
