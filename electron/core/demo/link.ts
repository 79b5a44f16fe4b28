/**
 * Where the demo devices publish: the built-in broker through mqtt.js clients of their own (so a
 * device can have a Last Will and lose its socket), or one connected profile's live session.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { PublishProperties, QoS } from '../../common/model';
import { topicMatches } from '../../common/topic';
import type { LiveSession, Sessions } from '../services';

export interface DemoPublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** MQTT 5 only; dropped on a 3.1.1 link. */
  properties?: PublishProperties;
}

export interface DemoMessage {
  topic: string;
  payload: Uint8Array;
  responseTopic?: string;
  correlationData?: Uint8Array;
}

export interface DemoLink {
  readonly protocolVersion: 3 | 4 | 5;
  /** False while nothing can be published (a profile reconnecting). */
  readonly ready: boolean;
  publish(topic: string, payload: Uint8Array, options?: DemoPublishOptions): Promise<void>;
  /** Subscribes; resolves with a function that unsubscribes. */
  listen(filter: string, onMessage: (message: DemoMessage) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface WillSpec {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
}

/** A device's own connection: its socket can be cut so the broker sends its Last Will. */
export interface DeviceLink extends DemoLink {
  /** Drops the TCP connection without DISCONNECT, as a device losing power does. */
  kill(): void;
}

export interface DemoTarget {
  /** The profile the demo publishes through; absent = the built-in broker. */
  readonly connectionId?: string;
  readonly main: DemoLink;
  /** Absent when publishing through a profile: it has one connection, and no wills of ours. */
  readonly connectDevice?: (clientId: string, will: WillSpec) => Promise<DeviceLink>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- built-in broker (mqtt.js)

export interface BrokerAddress {
  port: number;
  username?: string;
  password?: string;
}

function connectClient(address: BrokerAddress, clientId: string, extra: Partial<IClientOptions>): Promise<MqttClient> {
  const client = mqtt.connect({
    host: '127.0.0.1',
    port: address.port,
    protocolVersion: 4,
    clientId,
    clean: true,
    connectTimeout: 5000,
    ...(address.username ? { username: address.username, password: address.password ?? '' } : {}),
    ...extra,
  });
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      client.end(true);
      reject(new Error(`Demo device ${clientId} could not connect to the local broker: ${error.message}.`));
    };
    client.once('error', onError);
    client.once('connect', () => {
      client.off('error', onError);
      // Later errors are reconnects or a stopped broker; the demo's status says what matters.
      client.on('error', () => undefined);
      resolve(client);
    });
  });
}

class MqttLink implements DeviceLink {
  readonly protocolVersion = 4;
  private readonly handlers = new Set<{ filter: string; onMessage: (message: DemoMessage) => void }>();

  constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      for (const handler of this.handlers) {
        if (topicMatches(handler.filter, topic)) handler.onMessage({ topic, payload: new Uint8Array(payload) });
      }
    });
  }

  get ready(): boolean {
    return this.client.connected;
  }

  publish(topic: string, payload: Uint8Array, options: DemoPublishOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.publish(topic, Buffer.from(payload), { qos: options.qos ?? 0, retain: options.retain ?? false }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  async listen(filter: string, onMessage: (message: DemoMessage) => void): Promise<() => Promise<void>> {
    const handler = { filter, onMessage };
    this.handlers.add(handler);
    await this.client.subscribeAsync(filter, { qos: 1 });
    return async () => {
      this.handlers.delete(handler);
      if (this.client.connected) await this.client.unsubscribeAsync(filter).catch(() => undefined);
    };
  }

  kill(): void {
    this.client.stream.destroy();
    this.client.end(true);
  }

  async close(): Promise<void> {
    if (!this.client.connected) {
      this.client.end(true);
      return;
    }
    // A clean DISCONNECT, so the broker discards the will; cut short if the broker does not answer.
    const cut = setTimeout(() => this.client.end(true), 2000);
    await this.client.endAsync().catch(() => undefined);
    clearTimeout(cut);
  }
}

export async function brokerTarget(address: BrokerAddress): Promise<DemoTarget> {
  const devices = new Set<DeviceLink>();
  const main = new MqttLink(await connectClient(address, 'topograph-demo', { reconnectPeriod: 1000 }));
  return {
    main,
    connectDevice: async (clientId, will) => {
      // No automatic reconnect: a killed device stays offline until the demo brings it back.
      const client = await connectClient(address, clientId, {
        reconnectPeriod: 0,
        will: { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos, retain: will.retain },
      });
      const link = new MqttLink(client);
      devices.add(link);
      client.once('close', () => devices.delete(link));
      return link;
    },
    close: async () => {
      await Promise.all([...devices].map((device) => device.close()));
      await main.close();
    },
  };
}

// ---------------------------------------------------------------- a connected profile

class SessionLink implements DemoLink {
  constructor(
    private readonly sessions: Sessions,
    private readonly connectionId: string,
    readonly protocolVersion: 3 | 4 | 5,
  ) {}

  private get session(): LiveSession | undefined {
    try {
      return this.sessions.live(this.connectionId);
    } catch {
      return undefined;
    }
  }

  get ready(): boolean {
    return this.session !== undefined;
  }

  async publish(topic: string, payload: Uint8Array, options: DemoPublishOptions = {}): Promise<void> {
    const session = this.sessions.live(this.connectionId);
    // Stay within what this broker granted, so a demo message is never refused for its QoS or retain flag.
    const qos = Math.min(options.qos ?? 0, session.connack?.maximumQoS ?? 2) as QoS;
    const retain = (options.retain ?? false) && session.connack?.retainAvailable !== false;
    const properties = this.protocolVersion === 5 ? (options.properties ?? {}) : {};
    await session.publish(topic, payload, { qos, retain, properties });
  }

  async listen(filter: string, onMessage: (message: DemoMessage) => void): Promise<() => Promise<void>> {
    return this.sessions.live(this.connectionId).listen(filter, 1, (message) =>
      onMessage({
        topic: message.topic,
        payload: message.payload,
        ...(message.properties.responseTopic !== undefined ? { responseTopic: message.properties.responseTopic } : {}),
        ...(message.properties.correlationData !== undefined ? { correlationData: message.properties.correlationData } : {}),
      }),
    );
  }

  async close(): Promise<void> {}
}

/** Throws ApiFailure('not-connected') when the profile is not connected. */
export function sessionTarget(sessions: Sessions, connectionId: string): DemoTarget {
  const session = sessions.live(connectionId);
  return { connectionId, main: new SessionLink(sessions, connectionId, session.protocolVersion), close: async () => {} };
}
