import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../electron/web/auth';
import { INDEX_HTML, connectClient, openSocket, startTestHost, type TestHost } from './helpers';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET that can set any Host header (fetch cannot). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host over HTTP', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => {
    await t.close();
  });

  it('binds to 127.0.0.1 by default and prints a URL with the token', () => {
    expect(t.host.address).toBe('127.0.0.1');
    expect(t.host.url).toBe(`http://127.0.0.1:${t.host.port}/?token=${t.host.token}`);
    expect(t.host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the page without a token with a page that says where to find it', async () => {
    const reply = await get(t.host.port, '/');
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('printed in the terminal');
    expect(reply.body).not.toContain(t.host.token);
  });

  it('serves the page with the token, with the CSP and the other security headers', async () => {
    const reply = await get(t.host.port, `/?token=${t.host.token}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(INDEX_HTML);
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${t.host.port}`);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('lets a reload in with the cookie the page set, and refuses a wrong cookie', async () => {
    const name = `topograph_${t.host.port}`;
    expect((await get(t.host.port, '/', { cookie: `other=1; ${name}=${t.host.token}` })).status).toBe(200);
    const wrong = await get(t.host.port, '/', { cookie: `${name}=stale` });
    expect(wrong.status).toBe(401);
    expect(String(wrong.headers['set-cookie'])).toContain('Max-Age=0');
  });

  it('refuses a wrong token', async () => {
    expect((await get(t.host.port, '/?token=nope')).status).toBe(401);
    expect((await get(t.host.port, `/?token=${t.host.token}x`)).status).toBe(401);
  });

  it('refuses the page to requests another site made, before looking at the token', async () => {
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of foreign) {
      const reply = await get(t.host.port, `/?token=${t.host.token}`, headers);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(reply.body).toContain('Another web site asked for this page');
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    // What the person does (typing or pasting the address, a reload) still gets in.
    const own: Record<string, string>[] = [{ 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${t.host.port}` }];
    for (const headers of own) {
      expect((await get(t.host.port, `/?token=${t.host.token}`, headers)).status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('serves assets without the token, each with its MIME type', async () => {
    const cases: [string, string][] = [
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/style.css', 'text/css; charset=utf-8'],
      ['/assets/editor.worker.mjs', 'text/javascript; charset=utf-8'],
      ['/assets/codicon.ttf', 'font/ttf'],
    ];
    for (const [path, type] of cases) {
      const reply = await get(t.host.port, path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['content-type'], path).toBe(type);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get(t.host.port, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the static folder', async () => {
    for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/%00.js', '/%E0%A4%A']) {
      const reply = await get(t.host.port, path);
      expect(reply.status, path).toBe(404);
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const reply = await get(t.host.port, `/?token=${t.host.token}`, { host: `evil.example:${t.host.port}` });
    expect(reply.status).toBe(403);
  });

  it('accepts a WebSocket with the token in the query or in a subprotocol', async () => {
    const a = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    const b = await connectClient(t.rpcUrl, { protocols: [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + t.host.token] });
    expect(b.ws.protocol).toBe(RPC_PROTOCOL);
    await a.close();
    await b.close();
  });

  it('refuses a WebSocket without a token or with a wrong one', async () => {
    await expect(openSocket(t.rpcUrl)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`${t.rpcUrl}?token=wrong`)).rejects.toThrow('HTTP 401');
    await expect(openSocket(t.rpcUrl, { protocols: [RPC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}wrong`] })).rejects.toThrow('HTTP 401');
  });

  it('refuses a WebSocket from a foreign Origin even with the right token, and admits its own origins', async () => {
    const url = `${t.rpcUrl}?token=${t.host.token}`;
    await expect(openSocket(url, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(url, { origin: `http://127.0.0.1:${t.host.port + 1}` })).rejects.toThrow('HTTP 403');
    for (const origin of [`http://127.0.0.1:${t.host.port}`, `http://localhost:${t.host.port}`]) {
      const ws = await openSocket(url, { origin });
      ws.close();
    }
  });
});

describe('web host rate limiting', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ rateLimit: { max: 5, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 after repeated wrong tokens, for the page and the WebSocket, even with the right token', async () => {
    for (let i = 0; i < 3; i++) expect((await get(t.host.port, `/?token=guess${i}`)).status).toBe(401);
    for (let i = 0; i < 2; i++) await expect(openSocket(`${t.rpcUrl}?token=guess${i}`)).rejects.toThrow('HTTP 401');
    const blocked = await get(t.host.port, `/?token=${t.host.token}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await expect(openSocket(`${t.rpcUrl}?token=${t.host.token}`)).rejects.toThrow('HTTP 429');
  });
});

describe('web host rate limiting, against other sites', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ rateLimit: { max: 5, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('does not count wrong tokens from pages on other sites, so they cannot lock the person out', async () => {
    // What <img src="http://127.0.0.1:PORT/?token=x"> on a web page sends, repeated past the limit.
    for (let i = 0; i < 12; i++) {
      expect((await get(t.host.port, `/?token=guess${i}`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' })).status).toBe(403);
    }
    expect((await get(t.host.port, `/?token=${t.host.token}`, { 'sec-fetch-site': 'none' })).status).toBe(200);
    const client = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    await client.close();
  });
});
