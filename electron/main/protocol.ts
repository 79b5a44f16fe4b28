/**
 * The renderer is served from `app://topograph/` instead of file://: a standard, secure origin of
 * its own (so the CSP's 'self' means only our files), and a handler that can serve nothing but the
 * built renderer folder.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { contentSecurityPolicy, mimeTypeOf } from '../common/content-policy';
import { APP_HOST, APP_SCHEME } from './origin';

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
export { mimeTypeOf };

/** Must run before `app` is ready: Chromium fixes scheme privileges at start. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

const refuse = (status: number, text: string): Response =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY } });

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Resolves a request path inside `root`, or undefined when it would leave it. */
export function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const wanted = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(root, wanted);
  return isInside(root, file) ? file : undefined;
}

export function createAppRequestHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererRoot);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Bad request');
    }
    if (url.host !== APP_HOST) return refuse(404, 'Not found');
    const file = resolveInside(root, url.pathname);
    if (file === undefined) return refuse(403, 'Forbidden');
    try {
      // A symlink inside the folder must not lead out of it.
      const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
      if (!isInside(realRoot, realFile)) return refuse(403, 'Forbidden');
      if (!(await stat(realFile)).isFile()) return refuse(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(realFile);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': mimeTypeOf(realFile),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return refuse(404, 'Not found');
    }
  };
}

/** Serves the built renderer on the default session. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererRoot));
}
