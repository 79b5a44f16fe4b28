/**
 * The web host: serves the built renderer over HTTP and the engine's API as JSON-RPC 2.0 on one
 * WebSocket (`/rpc`). Binds to 127.0.0.1 by default and admits only holders of the random token.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../core/engine';
import { FailureLimiter, OriginPolicy, RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX, isWildcardHost, newToken, tokenMatches } from './auth';
import { EventChannel } from './event-channel';
import { foreignHostPage, tooManyAttemptsPage, unauthorizedPage } from './pages';
import { encodeEventBatch, handleRpcText } from './rpc';
import { resolveStaticPath, securityHeaders, sendFile, sendHtml, sendText } from './static';

/** What the web host needs of the engine. */
export type WebHostEngine = Pick<Engine, 'call' | 'onDidEmit'>;

export interface WebHostOptions {
  engine: WebHostEngine;
  /** Default 127.0.0.1. `0.0.0.0` exposes the host to the network (the token still guards it). */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** Largest WebSocket message accepted; a bigger one closes the socket with 1009. Default 64 MiB. */
  maxMessageBytes?: number;
  /** A socket whose send buffer passes this gets its event batches coalesced. Default 8 MiB. */
  eventHighWaterBytes?: number;
  /** Failed token attempts allowed per address and window before 429. Default 10 per minute. */
  rateLimit?: { max: number; windowMs: number };
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=... */
  url: string;
  /** The address the server listens on, as the system reports it (127.0.0.1 unless `host` said otherwise). */
  address: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const RPC_PATH = '/rpc';
const PING_MS = 30_000;
const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

const remoteAddress = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Refuses an upgrade on the raw socket (no WebSocket exists yet). */
function refuseUpgrade(socket: Duplex, status: number, reason: string, text: string, extra = ''): void {
  const body = Buffer.from(text + '\n', 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\n${extra}\r\n` +
      body.toString('utf8'),
  );
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { engine, staticDir } = options;
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const limiter = new FailureLimiter(options.rateLimit?.max, options.rateLimit?.windowMs);
  const server = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 64 * 1024 * 1024,
    perMessageDeflate: false,
    // Select the plain protocol; never echo the token entry back.
    handleProtocols: (protocols) => (protocols.has(RPC_PROTOCOL) ? RPC_PROTOCOL : false),
  });
  const channels = new Map<WebSocket, EventChannel>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address: boundAddress, port } = server.address() as AddressInfo;
  const policy = new OriginPolicy(bindHost, port);
  const urlHost = isWildcardHost(bindHost) ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const cookieName = `topograph_${port}`;

  const headersFor = (req: IncomingMessage): Record<string, string> => {
    const host = req.headers.host;
    return securityHeaders(`ws://${host && HOST_HEADER.test(host) ? host : `${urlHost}:${port}`}`);
  };

  /**
   * A page on another site can make the browser request this one (an <img>, a link, a frame) with a
   * wrong token; counted, ten of them would lock the person out. Browsers say where a request came
   * from; a missing Sec-Fetch-Site (an older browser, curl) falls through to the token check.
   */
  const fromAnotherSite = (req: IncomingMessage): boolean => {
    const site = req.headers['sec-fetch-site'];
    return site === 'cross-site' || site === 'same-site' || !policy.originAllowed(req.headers.origin);
  };

  async function servePage(req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>): Promise<void> {
    if (fromAnotherSite(req)) {
      return sendText(
        res,
        403,
        'Another web site asked for this page, and the web host refuses that. Open the full address printed in the terminal where Topograph runs by pasting it into the address bar.',
        headers,
      );
    }
    const address = remoteAddress(req);
    const wait = limiter.retryAfter(address);
    if (wait > 0) return sendHtml(res, 429, tooManyAttemptsPage(wait), headers, { 'Retry-After': String(wait) });
    const fromQuery = url.searchParams.get('token');
    const fromCookie = cookieValue(req, cookieName);
    const given = fromQuery ?? fromCookie;
    if (given === undefined) return sendHtml(res, 401, unauthorizedPage(), headers);
    if (!tokenMatches(token, given)) {
      limiter.fail(address);
      // Drop a stale cookie (an earlier run on this port) so it is counted once, not on every load.
      const clear: Record<string, string> =
        fromQuery === null ? { 'Set-Cookie': `${cookieName}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict` } : {};
      return sendHtml(res, 401, unauthorizedPage(), headers, clear);
    }
    const html = await readFile(join(staticDir, 'index.html')).catch(() => undefined);
    if (!html) {
      return sendText(res, 500, 'The renderer is not built: run `npm run build`, then start the web host again.', headers);
    }
    // The cookie lets a reload in, after the renderer removed the token from the address bar.
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(html.length),
      'Cache-Control': 'no-store',
      'Set-Cookie': `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = headersFor(req);
    if (!policy.hostAllowed(req.headers.host)) return sendHtml(res, 403, foreignHostPage(), headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET and HEAD are served.', headers, { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (url.pathname === '/' || url.pathname === '/index.html') return servePage(req, res, url, headers);
    if (url.pathname === RPC_PATH) return sendText(res, 426, 'Connect with a WebSocket to /rpc; see docs/API.md.', headers, { Upgrade: 'websocket' });
    // Assets (scripts, styles, fonts, workers) hold no data: they are served without the token.
    return sendFile(res, resolveStaticPath(staticDir, url.pathname), headers, req.method);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (url.pathname !== RPC_PATH) return refuseUpgrade(socket, 404, 'Not Found', 'The API is at /rpc.');
    const address = remoteAddress(req);
    const wait = limiter.retryAfter(address);
    if (wait > 0) {
      return refuseUpgrade(socket, 429, 'Too Many Requests', `Too many wrong tokens; wait ${wait} s.`, `Retry-After: ${wait}\r\n`);
    }
    if (!policy.hostAllowed(req.headers.host)) return refuseUpgrade(socket, 403, 'Forbidden', 'Unknown Host header.');
    const origin = req.headers.origin;
    if (!policy.originAllowed(origin)) {
      return refuseUpgrade(socket, 403, 'Forbidden', 'Connections from other web sites are refused.');
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const fromProtocol = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length);
    const given = url.searchParams.get('token') ?? fromProtocol;
    if (!tokenMatches(token, given)) {
      if (given !== undefined) limiter.fail(address);
      return refuseUpgrade(socket, 401, 'Unauthorized', 'Missing or wrong token: use the one printed by the web host.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  }

  function onConnection(ws: WebSocket): void {
    const channel = new EventChannel(ws, options.eventHighWaterBytes);
    channels.set(ws, channel);
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      // A socket that missed a whole ping interval is gone (sleeping laptop, dead network).
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_MS);
    ping.unref();
    ws.on('message', (data) => {
      // Binary frames are read as UTF-8 JSON too: some clients send text that way.
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : data instanceof ArrayBuffer
          ? Buffer.from(data).toString('utf8')
          : data.toString('utf8');
      void handleRpcText(engine, text).then((reply) => {
        if (reply === undefined || ws.readyState !== ws.OPEN) return;
        channel.answered(Buffer.byteLength(reply, 'utf8'));
        ws.send(reply);
      });
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(ping);
      channel.close();
      channels.delete(ws);
    });
  }

  server.on('request', (req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'The web host failed to answer this request.', headersFor(req));
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);

  const unsubscribe = engine.onDidEmit((batch) => {
    if (channels.size === 0) return;
    let encoded: string;
    try {
      encoded = encodeEventBatch(batch);
    } catch (error) {
      // Thrown here it would escape into the engine's flush timer and end the process.
      console.error('Topograph could not encode an event batch for the web host; it was skipped:', error);
      return;
    }
    for (const channel of channels.values()) channel.push(batch, encoded);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      unsubscribe();
      for (const [ws, channel] of channels) {
        channel.close();
        ws.close(1001, 'The web host is shutting down.');
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Sockets that do not finish the closing handshake promptly are cut.
      const cut = setTimeout(() => {
        for (const ws of channels.keys()) ws.terminate();
      }, 1000);
      cut.unref();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closed;
      clearTimeout(cut);
    })());

  return { url: `http://${urlHost}:${port}/?token=${token}`, address: boundAddress, port, token, close };
}
