import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, protocol } from '../mocks/electron';
import { CONTENT_SECURITY_POLICY, mimeTypeOf, registerAppScheme, serveRenderer } from '../../electron/main/protocol';

vi.mock('electron', () => import('../mocks/electron'));

// Made at load time: it.each below needs the path while the suite is being collected.
const base = mkdtempSync(join(tmpdir(), 'topograph-protocol-'));
const root = join(base, 'renderer');
beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Topograph</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'editor.worker-x.js'), 'self.onmessage = () => {}');
  writeFileSync(join(root, 'assets', 'codicon.ttf'), Buffer.from([0, 1, 0, 0]));
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => {
  electronMock.reset();
  serveRenderer(root);
});

describe('app:// scheme', () => {
  it('is registered as standard and secure before the app is ready', () => {
    registerAppScheme();
    expect(electronMock.state.calls.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
  });

  it('serves index.html with the CSP header and its MIME type', async () => {
    const response = await protocol.request('app://topograph/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Topograph</title>');
  });

  it('serves the entry page for the bare origin', async () => {
    const response = await protocol.request('app://topograph/');
    expect(await response.text()).toContain('<title>Topograph</title>');
  });

  it('serves scripts (and Monaco workers) as JavaScript', async () => {
    for (const path of ['assets/index-abc.js', 'assets/editor.worker-x.js']) {
      const response = await protocol.request(`app://topograph/${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('knows the types the renderer ships', () => {
    expect(mimeTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('a.svg')).toBe('image/svg+xml');
    expect(mimeTypeOf('a.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('a.ttf')).toBe('font/ttf');
    expect(mimeTypeOf('a.wasm')).toBe('application/wasm');
    expect(mimeTypeOf('a.unknown')).toBe('application/octet-stream');
  });

  it.each([
    'app://topograph/..%2Fsecret.txt',
    'app://topograph/assets/..%2F..%2Fsecret.txt',
    'app://topograph/%2e%2e%2fsecret.txt',
    'app://topograph/..%5Csecret.txt',
    `app://topograph/${encodeURIComponent(join(base, 'secret.txt'))}`,
    'app://topograph/assets/link.txt',
    'app://topograph/index.html%00.js',
    'app://topograph/%E0%A4%A',
  ])('refuses %s without leaking the file', async (url) => {
    const response = await protocol.request(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('TOP SECRET');
  });

  it('answers 404 for a missing file, a folder and another host', async () => {
    expect((await protocol.request('app://topograph/missing.js')).status).toBe(404);
    expect((await protocol.request('app://topograph/assets')).status).toBe(404);
    expect((await protocol.request('app://elsewhere/index.html')).status).toBe(404);
  });

  it('answers only reads', async () => {
    expect((await protocol.request('app://topograph/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('content security policy', () => {
  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('never allows inline or evaluated scripts', () => {
    const script = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
