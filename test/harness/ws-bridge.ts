// Debian's mosquitto is built without websockets, so MQTT-over-WebSocket tests go through this
// bridge: each WebSocket connection gets its own TCP connection to the broker, bytes flow both
// ways unchanged. The broker still does all of MQTT (auth, sessions); the bridge only frames.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { trackResource } from './processes';

export interface WebSocketBridgeOptions {
  /** The broker's plain TCP listener. */
  target: { host: string; port: number };
  /** Listen on this port (a restart reuses its port); a free one when absent. */
  port?: number;
  /** Serve wss with this certificate; with `requestCert` the client must present one signed by `ca`. */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
}

export interface WebSocketBridge {
  host: '127.0.0.1';
  port: number;
  secure: boolean;
  /** Drops every open connection and frees the port. */
  close(): Promise<void>;
}

// [MQTT-6.0.0-3] the WebSocket subprotocol is "mqtt"; mqtt.js uses "mqttv3.1" for v3.1.
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

export async function startWebSocketBridge(options: WebSocketBridgeOptions): Promise<WebSocketBridge> {
  const tls = options.tls;
  const server =
    tls === undefined
      ? http.createServer()
      : https.createServer({
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          requestCert: tls.requestCert ?? false,
          rejectUnauthorized: tls.requestCert ?? false,
        });
  const sockets = new Set<net.Socket>();
  const wss = new WebSocketServer({
    server,
    // Refusing other subprotocols mirrors a real broker, which would not speak MQTT to them.
    handleProtocols: (offered) => SUBPROTOCOLS.find((protocol) => offered.has(protocol)) ?? false,
  });
  wss.on('connection', (ws) => pipeToBroker(ws, options.target, sockets));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The WebSocket bridge has no TCP address.');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      untrack();
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closed;
  };
  const untrack = trackResource({ stop: close });
  return { host: '127.0.0.1', port: address.port, secure: tls !== undefined, close };
}

function pipeToBroker(ws: WebSocket, target: { host: string; port: number }, sockets: Set<net.Socket>): void {
  const tcp = net.connect({ host: target.host, port: target.port });
  sockets.add(tcp);
  // The stream wrapper gives backpressure in both directions and sends Buffers as binary frames.
  // Ends travel through the pipes gracefully, so a CONNACK refusal or a client's DISCONNECT
  // is delivered before the connection closes instead of being dropped with the socket.
  const stream = createWebSocketStream(ws);
  stream.pipe(tcp);
  tcp.pipe(stream);
  // A refused TCP connection (broker stopped or restarting) closes the WebSocket, as a broker
  // that is down would; these errors are expected and must not crash the test process.
  tcp.on('error', () => stream.destroy());
  stream.on('error', () => tcp.destroy());
  tcp.on('close', () => {
    sockets.delete(tcp);
    // close() queues the close frame behind data already sent; it is a no-op once closing.
    ws.close();
  });
}
