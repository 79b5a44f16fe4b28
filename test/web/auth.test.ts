import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailureLimiter, OriginPolicy, newToken, tokenMatches } from '../../electron/web/auth';
import { resolveStaticPath } from '../../electron/web/static';

describe('tokens', () => {
  it('makes 32 random base64url bytes each time', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });

  it('matches only the exact token', () => {
    const token = newToken();
    expect(tokenMatches(token, token)).toBe(true);
    for (const given of [token.slice(1), token + 'x', '', undefined, null, 42, token.toUpperCase()]) {
      expect(tokenMatches(token, given)).toBe(false);
    }
  });
});

describe('FailureLimiter', () => {
  it('blocks an address after max failures within the window and lets it in once they age out', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(3, 60_000, () => now);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBe(0);
    now += 10_000;
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBe(50);
    expect(limiter.retryAfter('b')).toBe(0);
    now += 50_001;
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('tracks a bounded number of addresses', () => {
    const limiter = new FailureLimiter(1, 60_000, Date.now, 100);
    for (let i = 0; i < 1000; i++) limiter.fail(`client-${i}`);
    expect(limiter.retryAfter('client-999')).toBeGreaterThan(0);
    expect(limiter.retryAfter('client-0')).toBe(0);
  });
});

describe('OriginPolicy', () => {
  it('accepts exactly its loopback origins on a loopback bind', () => {
    const policy = new OriginPolicy('127.0.0.1', 4000);
    expect(policy.originAllowed(undefined)).toBe(true);
    expect(policy.originAllowed('http://127.0.0.1:4000')).toBe(true);
    expect(policy.originAllowed('http://localhost:4000')).toBe(true);
    expect(policy.originAllowed('http://127.0.0.1:4001')).toBe(false);
    expect(policy.originAllowed('https://127.0.0.1:4000')).toBe(false);
    expect(policy.originAllowed('null')).toBe(false);
    expect(policy.hostAllowed('localhost:4000')).toBe(true);
    expect(policy.hostAllowed('attacker.example:4000')).toBe(false);
    expect(policy.hostAllowed(undefined)).toBe(false);
  });
});

describe('resolveStaticPath', () => {
  const root = resolve('/srv/topograph/renderer');

  it('maps paths inside the folder', () => {
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });

  it('refuses anything that would leave it', () => {
    for (const path of ['/../x', '/assets/../../x', '/..%2f..%2fetc/passwd', '/%2e%2e/x', '/a%00.js', '/a\\..\\..\\x', '/%E0%A4%A', '/']) {
      expect(resolveStaticPath(root, path), path).toBeUndefined();
    }
  });
});
