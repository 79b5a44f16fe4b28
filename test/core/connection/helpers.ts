// Test-side pieces for the connection part: a profile source over plain objects, a recorder that
// collects what it is given (the connection's real consumer, written for the test), an event sink,
// and a TCP relay that can record the client's bytes and cut the line like a failing network.
import net from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { EngineEvent } from '../../../electron/common/api';
import { profileFields, SECRET_NAMES, type ProfileView, type SecretName } from '../../../electron/common/model';
import { ApiFailure } from '../../../electron/common/result';
import type { SessionStatus } from '../../../electron/common/session';
import { createConnectionPart, type ConnectionPart } from '../../../electron/core/connection';
import type { ConnectionRecorder, EngineContext, ProfileSource, ReceivedMessage, Recording } from '../../../electron/core/services';

export type ProfileSeed = Partial<Omit<ProfileView, 'id' | 'secrets'>> & { host: string; port: number };

export class TestProfiles implements ProfileSource {
  private readonly profiles = new Map<string, ProfileView>();
  private readonly secrets = new Map<string, Partial<Record<SecretName, string>>>();

  add(id: string, seed: ProfileSeed, secrets: Partial<Record<SecretName, string>> = {}): ProfileView {
    const fields = profileFields.parse({ name: id, ...seed });
    const flags = Object.fromEntries(SECRET_NAMES.map((name) => [name, secrets[name] !== undefined])) as Record<SecretName, boolean>;
    const view: ProfileView = { ...fields, id, secrets: flags };
    this.profiles.set(id, view);
    this.secrets.set(id, secrets);
    return view;
  }

  get(id: string): ProfileView {
    const profile = this.profiles.get(id);
    if (profile === undefined) throw new ApiFailure('not-found', `No profile ${id}.`);
    return profile;
  }

  async secret(id: string, name: SecretName): Promise<string | undefined> {
    return this.secrets.get(id)?.[name];
  }
}

/** Collects every message per connection; `hold` keeps `resume` back to exercise backpressure. */
export class CollectingRecording implements Recording {
  readonly messages = new Map<string, ReceivedMessage[]>();
  hold = false;
  readonly held: (() => void)[] = [];

  recorder(connectionId: string): ConnectionRecorder {
    let list = this.messages.get(connectionId);
    if (list === undefined) this.messages.set(connectionId, (list = []));
    const target = list;
    return {
      record: (message, resume) => {
        target.push(message);
        if (this.hold) this.held.push(resume);
        else resume();
      },
    };
  }

  of(connectionId: string): ReceivedMessage[] {
    return this.messages.get(connectionId) ?? [];
  }

  text(connectionId: string, topic?: string): string[] {
    return this.of(connectionId)
      .filter((message) => topic === undefined || message.topic === topic)
      .map((message) => Buffer.from(message.payload).toString('utf8'));
  }
}

export class CollectingEvents {
  readonly events: EngineEvent[] = [];
  emit(event: EngineEvent): void {
    this.events.push(event);
  }
  statuses(connectionId: string): SessionStatus[] {
    return this.events.flatMap((event) => (event.type === 'connection.status' && event.status.connectionId === connectionId ? [event.status] : []));
  }
}

export interface TestPart {
  part: ConnectionPart;
  profiles: TestProfiles;
  recording: CollectingRecording;
  events: CollectingEvents;
}

export function makePart(): TestPart {
  const profiles = new TestProfiles();
  const recording = new CollectingRecording();
  const events = new CollectingEvents();
  const ctx: EngineContext = { dataDir: '/nonexistent', host: 'web', version: 'test', events, problems: [] };
  return { part: createConnectionPart(ctx, { profiles, recording }), profiles, recording, events };
}

/** Polls until `check` returns a value other than undefined/false; throws with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TcpRelay {
  port: number;
  /** Every byte the clients sent towards the broker, per accepted connection. */
  readonly fromClient: Buffer[][];
  /** Destroys every open connection on both sides, without a DISCONNECT: a network failure. */
  cut(): void;
  /** Writes bytes to every client as if the broker sent them (fault injection). */
  toClients(bytes: Buffer): void;
  close(): Promise<void>;
}

/** A TCP relay to `target` on 127.0.0.1 that keeps a copy of the client's bytes. */
export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  const fromClient: Buffer[][] = [];
  const server = net.createServer((client) => {
    const chunks: Buffer[] = [];
    fromClient.push(chunks);
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    fromClient,
    cut: () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    toClients: (bytes) => {
      for (const client of clients) client.write(bytes);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A relay that rewrites the broker's PUBLISH packets to use topic aliases, as a broker with
 * outgoing aliases would (mosquitto 2.0 never sends them): the first message on a topic carries
 * topic + alias, later ones only the alias. Everything else passes through re-encoded unchanged.
 */
export async function startAliasingRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const aliases = new Map<string, number>();
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'publish') {
        const known = aliases.get(packet.topic);
        const alias = known ?? aliases.size + 1;
        aliases.set(packet.topic, alias);
        packet.properties = { ...packet.properties, topicAlias: alias };
        if (known !== undefined) packet.topic = '';
      }
      client.write(mqttPacket.generate(packet, { protocolVersion: 5 }));
    });
    upstream.on('data', (chunk: Buffer) => parser.parse(chunk));
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    fromClient: [],
    cut: () => sockets.forEach((socket) => socket.destroy()),
    toClients: () => {
      throw new Error('The aliasing relay does not inject bytes.');
    },
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
