/**
 * Binding the built-in broker's TCP server: the chosen port, or a free one with a sentence saying
 * why; and the machine's addresses a device on the LAN can use.
 */
import { connect, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';

export type BindHost = '127.0.0.1' | '0.0.0.0';

export interface Bound {
  port: number;
  /** Set when the server listens on another port than the one asked for. */
  message?: string;
}

const errnoOf = (error: unknown): string | undefined =>
  error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

function listenOnce(server: Server, port: number, host: string, ipv6Only?: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, ...(ipv6Only === undefined ? {} : { ipv6Only }) });
  });
}

/**
 * True when something already answers on 127.0.0.1:port. Some systems (macOS, Windows) let a
 * second socket bind a specific address while another listens on the wildcard one, which would
 * leave two brokers on one port; a connect attempt tells the truth everywhere.
 */
function answersOnLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function bind(server: Server, port: number, host: BindHost): Promise<number> {
  if (host === '127.0.0.1') return listenOnce(server, port, host);
  try {
    // '::' without ipv6Only takes IPv4 and IPv6 clients alike, so the IPv6 addresses shown work too.
    return await listenOnce(server, port, '::', false);
  } catch (error) {
    const code = errnoOf(error);
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL' && code !== 'EINVAL') throw error;
    return listenOnce(server, port, '0.0.0.0');
  }
}

/** Listens on `port`, or on a free port when that one is taken or needs privileges. */
export async function listenWithFallback(server: Server, port: number, host: BindHost): Promise<Bound> {
  if (port === 0) return { port: await bind(server, 0, host) };
  let reason: string | undefined;
  if (await answersOnLoopback(port)) {
    reason = `Port ${port} was taken`;
  } else {
    try {
      return { port: await bind(server, port, host) };
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EADDRINUSE') reason = `Port ${port} was taken`;
      else if (code === 'EACCES') reason = `Port ${port} needs administrator rights`;
      else throw error;
    }
  }
  const actual = await bind(server, 0, host);
  return { port: actual, message: `${reason}; the local broker listens on ${actual} instead.` };
}

const isLinkLocalV6 = (address: string): boolean => /^fe[89ab]/i.test(address);

/**
 * The machine's own non-loopback addresses, IPv4 first. IPv6 link-local addresses are left out:
 * they only work with a zone id (fe80::1%eth0), which devices rarely accept.
 */
export function machineAddresses(includeIpv6: boolean): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv4') v4.push(entry.address);
      else if (includeIpv6 && !isLinkLocalV6(entry.address)) v6.push(entry.address);
    }
  }
  return [...new Set([...v4, ...v6])];
}

/** Whether a bound server accepts IPv6 (bound to '::'). */
export function boundToIpv6(server: Server): boolean {
  const address = server.address();
  return typeof address === 'object' && address !== null && address.family === 'IPv6';
}
