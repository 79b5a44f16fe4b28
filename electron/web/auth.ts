/**
 * Who may use the web host: the random token printed at start, the page's own origin, and a
 * brake on guessing. Everything here is pure Node and independent of HTTP plumbing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

/** 32 random bytes, base64url: safe in a URL, a cookie and a WebSocket subprotocol token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Hashing both sides first gives equal lengths, so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../common/web-protocol';

/**
 * Counts failed token attempts per remote address in a sliding window. Once an address reaches
 * `max` failures it is refused (429) until the oldest failure leaves the window — even with the
 * right token, or guessing could go on. Memory is bounded: at most `maxAddresses` are tracked.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.max) return 0;
    const oldest = recent[recent.length - this.max] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    // Keep only what the decision needs.
    if (recent.length > this.max) recent.splice(0, recent.length - this.max);
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > this.maxAddresses) {
      const first = this.failures.keys().next();
      if (!first.done) this.failures.delete(first.value);
    }
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(address) ?? []).filter((time) => time > cutoff);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export const isWildcardHost = (host: string): boolean => WILDCARDS.has(host);
export const isLoopbackHost = (host: string): boolean => host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';

const bracket = (address: string): string => (address.includes(':') && !address.startsWith('[') ? `[${address}]` : address);

/**
 * Which `Host` headers and `Origin`s belong to this web host. On a loopback or specific bind the
 * lists are exact, which also defeats DNS rebinding (a foreign name resolving to 127.0.0.1 arrives
 * with a foreign Host). On a wildcard bind the machine's own addresses and name are accepted.
 */
export class OriginPolicy {
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;

  constructor(bindHost: string, port: number) {
    const names = new Set(LOOPBACK_NAMES);
    if (isWildcardHost(bindHost)) {
      for (const list of Object.values(networkInterfaces())) {
        for (const info of list ?? []) names.add(bracket(info.address));
      }
      const name = hostname().toLowerCase();
      names.add(name);
      names.add(`${name}.local`);
    } else {
      names.add(bracket(bindHost.toLowerCase()));
    }
    this.hosts = new Set([...names].map((name) => `${name}:${port}`));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  hostAllowed(hostHeader: string | undefined): boolean {
    return hostHeader !== undefined && this.hosts.has(hostHeader.toLowerCase());
  }

  /** No Origin at all is a non-browser client (a script); browsers always send one on upgrade. */
  originAllowed(origin: string | undefined): boolean {
    return origin === undefined || this.origins.has(origin.toLowerCase());
  }
}
