/**
 * The broker inside the engine: aedes (MQTT 3.1.1) on a TCP server, retained messages and QoS 1/2
 * in memory, optional user name and password, and a live list of its clients and subscriptions.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { BrokerClientInfo } from '../../common/api';
import { ApiFailure } from '../../common/result';
import { credentialsMatch, type Credentials } from './credentials';
import { boundToIpv6, listenWithFallback, machineAddresses, type BindHost } from './listen';

export interface LocalBrokerOptions {
  port: number;
  host: BindHost;
  username?: string;
  password?: string;
}

export interface ListeningInfo {
  host: BindHost;
  port: number;
  addresses: string[];
  message?: string;
  credentials?: Credentials;
  /** What the person asked for, to tell a repeated start from a changed one. */
  requested: LocalBrokerOptions;
}

// aedes's AuthErrorCode is a const enum in a .d.ts, which isolated modules cannot read.
const BAD_USERNAME_OR_PASSWORD = 4;

const plainAddress = (address: string | undefined): string => (address ?? '').replace(/^::ffff:/, '');

function addressOf(client: Client): string {
  const socket = client.conn as Partial<Socket>;
  const host = plainAddress(socket.remoteAddress);
  if (host === '') return '';
  return host.includes(':') ? `[${host}]:${socket.remotePort ?? ''}` : `${host}:${socket.remotePort ?? ''}`;
}

export function credentialsOf(options: LocalBrokerOptions): Credentials | undefined {
  const username = options.username ?? '';
  const password = options.password ?? '';
  if (username === '' && password === '') return undefined;
  // [MQTT-3.1.2-22] a password without a user name is a protocol error in 3.1.1.
  if (username === '') throw new ApiFailure('invalid-argument', 'A password needs a user name: MQTT 3.1.1 does not allow a password alone. Enter a user name too, or leave both empty.');
  return { username, password };
}

export class LocalBroker {
  private aedes: Aedes | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Map<Client, BrokerClientInfo>();
  private info: ListeningInfo | undefined;
  private readonly changeListeners = new Set<() => void>();
  private readonly subscribeListeners = new Set<(filters: string[], clientId: string) => void>();

  get listening(): ListeningInfo | undefined {
    return this.info;
  }

  get clientList(): BrokerClientInfo[] {
    return [...this.clients.values()].map((client) => ({ ...client, subscriptions: [...client.subscriptions] }));
  }

  onDidChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** A client subscribed (the demo's Sparkplug node answers a new subscriber with a rebirth). */
  onDidSubscribe(listener: (filters: string[], clientId: string) => void): () => void {
    this.subscribeListeners.add(listener);
    return () => this.subscribeListeners.delete(listener);
  }

  async start(options: LocalBrokerOptions): Promise<ListeningInfo> {
    const credentials = credentialsOf(options);
    if (this.info) await this.stop();
    const aedes = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        if (credentialsMatch(credentials, username, password)) {
          done(null, true);
          return;
        }
        done(Object.assign(new Error('Bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }), false);
      },
    });
    this.watch(aedes);
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      aedes.handle(socket);
    });
    try {
      const bound = await listenWithFallback(server, options.port, options.host);
      const addresses = options.host === '0.0.0.0' ? machineAddresses(boundToIpv6(server)) : ['127.0.0.1'];
      this.aedes = aedes;
      this.server = server;
      // A server error after listening (rare: the interface went away) must not end the engine.
      server.on('error', () => undefined);
      this.info = {
        host: options.host,
        port: bound.port,
        addresses,
        ...(bound.message ? { message: bound.message } : {}),
        ...(credentials ? { credentials } : {}),
        requested: { ...options },
      };
    } catch (error) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      server.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiFailure('io', `The local broker could not listen on ${options.host}:${options.port}: ${reason}. Choose another port and try again.`);
    }
    this.changed();
    return this.info;
  }

  /** Disconnects every client, closes aedes and the server; the port is free when this resolves. */
  async stop(): Promise<void> {
    const { aedes, server } = this;
    this.aedes = undefined;
    this.server = undefined;
    this.info = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close waits for open connections; clients aedes did not get to are cut here.
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
    this.sockets.clear();
    this.clients.clear();
    this.changed();
  }

  private watch(aedes: Aedes): void {
    const entry = (client: Client): BrokerClientInfo => {
      let info = this.clients.get(client);
      if (info === undefined) this.clients.set(client, (info = { clientId: client.id, address: addressOf(client), subscriptions: [] }));
      return info;
    };
    // aedes emits 'error' when its periodic will sweep fails; without a listener that would throw.
    (aedes as NodeJS.EventEmitter).on('error', () => undefined);
    aedes.on('client', (client) => {
      entry(client);
      this.changed();
    });
    aedes.on('clientDisconnect', (client) => {
      this.clients.delete(client);
      this.changed();
    });
    aedes.on('subscribe', (subscriptions, client) => {
      if (!client) return;
      const info = entry(client);
      const filters = subscriptions.map((subscription) => subscription.topic);
      info.subscriptions = [...new Set([...info.subscriptions, ...filters])];
      this.changed();
      for (const listener of this.subscribeListeners) listener(filters, client.id);
    });
    aedes.on('unsubscribe', (filters, client) => {
      const info = client ? this.clients.get(client) : undefined;
      if (!info) return;
      info.subscriptions = info.subscriptions.filter((filter) => !filters.includes(filter));
      this.changed();
    });
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
