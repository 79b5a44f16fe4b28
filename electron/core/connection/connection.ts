/**
 * One open connection: one mqtt.js client, its status, reconnect with backoff, subscriptions,
 * the hot message path into the recorder, and the live session others publish through.
 */
import mqtt, { type IConnackPacket, type IDisconnectPacket, type MqttClient, type Packet } from 'mqtt';
import type { SubscriptionRemoval, UnsubackOutcome } from '../../common/api';
import type { ProfileView, QoS, SubscriptionSpec } from '../../common/model';
import type { NetworkContext } from '../../common/network-errors';
import { ApiFailure } from '../../common/result';
import type { ConnackInfo, ConnectionState, PublishOutcome, SessionStatus } from '../../common/session';
import { topicFilterProblem } from '../../common/topic';
import type { EventSink, LiveSession, ProfileSource, PublishOptions, ReceivedMessage, Recording } from '../services';
import { backoffDelay } from './backoff';
import { buildClientOptions, type FileReader } from './client-options';
import { connackFailure, errorFailure, serverDisconnectFailure, silentCloseFailure, type Failure } from './failures';
import { Inbound } from './inbound';
import type { ProtocolLog } from './protocol-log';
import { Publisher } from './publisher';
import { clientIdFor, connackInfo, forVersion, mqttSubscriptions } from './session-info';
import { SubscriptionBook } from './subscriptions';

export interface ConnectionDeps {
  connectionId: string;
  profiles: ProfileSource;
  recording: Recording;
  events: EventSink;
  log: ProtocolLog;
  /** One random suffix per launch of the app, for profiles that ask for it and start clean. */
  launchSuffix: string;
  readFile?: FileReader;
}

/** How long a clean DISCONNECT may take before the socket is simply destroyed. */
const END_GRACE_MS = 3000;
/**
 * A connection must last this long before the backoff starts over. A broker that accepts and then
 * drops at once (another client taking the same id, without a DISCONNECT saying so) is otherwise
 * hammered at the shortest delay forever.
 */
const STABLE_MS = 10_000;

export class Connection implements LiveSession {
  readonly connectionId: string;
  private profile: ProfileView | undefined;
  private client: MqttClient | undefined;
  private state: ConnectionState = 'disconnected';
  private since = Date.now();
  private error: string | undefined;
  private warnings: string[] = [];
  private clientId = '';
  private attempt = 0;
  private nextRetryAt: number | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private closing = false;
  private opening: { promise: Promise<void>; resolve: () => void } | undefined;
  private network: NetworkContext | undefined;
  private connackState: ConnackInfo | undefined;
  /** What went wrong on the current network connection, first cause first. */
  private failure: Failure | undefined;
  private lastConnack: IConnackPacket | undefined;
  private serverDisconnect: IDisconnectPacket | undefined;
  private readonly inbound: Inbound;
  private readonly book: SubscriptionBook;
  private publisher = new Publisher(5, () => false);

  constructor(private readonly deps: ConnectionDeps) {
    this.connectionId = deps.connectionId;
    this.book = new SubscriptionBook(mqttSubscriptions(() => (this.isConnected ? this.client : undefined), () => this.protocolVersion));
    this.inbound = new Inbound((message) =>
      deps.events.emit({ type: 'app.problem', message: `Messages of ${this.profile?.name ?? this.connectionId} could not be recorded: ${message}` }),
    );
  }

  get protocolVersion(): 3 | 4 | 5 {
    return this.profile?.protocolVersion ?? 5;
  }

  get connack(): ConnackInfo | undefined {
    return this.connackState;
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  status(): SessionStatus {
    const status: SessionStatus = {
      connectionId: this.connectionId,
      profileName: this.profile?.name ?? '',
      protocolVersion: this.protocolVersion,
      state: this.state,
      clientId: this.clientId,
      subscriptions: this.book.list(),
      since: this.since,
    };
    if (this.state === 'reconnecting') status.attempt = this.attempt;
    if (this.nextRetryAt !== undefined) status.nextRetryAt = this.nextRetryAt;
    if (this.error !== undefined) status.error = this.error;
    if (this.warnings.length > 0) status.warning = this.warnings.join(' ');
    if (this.connackState !== undefined) status.connack = this.connackState;
    return status;
  }

  /**
   * Connects (or, in the error state, starts over with the profile as saved now; while waiting to
   * reconnect, tries at once). Resolves after the first outcome: connected with the default
   * subscriptions answered, refused, or waiting to retry.
   */
  async open(): Promise<SessionStatus> {
    if (this.state === 'connected') return this.status();
    if (this.opening === undefined) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      this.opening = { promise, resolve };
      try {
        if (this.state === 'reconnecting' && this.client !== undefined) this.retry();
        else await this.start();
      } catch (error) {
        // E.g. the profile was deleted: later opens must not wait for this one.
        this.settleOpening();
        throw error;
      }
    }
    await this.opening?.promise;
    return this.status();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    this.retryTimer = undefined;
    this.nextRetryAt = undefined;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      this.dropPending(client);
      await endClient(client, this.state === 'connected');
    }
    this.publisher.onConnectionClosed();
    this.book.onDisconnected();
    this.inbound.clearListeners();
    this.setState('disconnected');
    this.settleOpening();
  }

  // ---------------------------------------------------------------- live session

  publish(topic: string, payload: Uint8Array, options: PublishOptions): Promise<PublishOutcome> {
    const client = this.requireConnected();
    return this.publisher.publish(client, this.connackState, topic, payload, options);
  }

  async listen(filter: string, qos: QoS, onMessage: (message: ReceivedMessage) => void): Promise<() => Promise<void>> {
    this.requireConnected();
    const problem = topicFilterProblem(filter);
    if (problem) throw new ApiFailure('invalid-argument', problem);
    this.inbound.addListener(filter, onMessage);
    const forget = async (): Promise<void> => {
      if (this.inbound.removeListener(filter, onMessage) && this.book.isHidden(filter)) {
        await this.book.remove(filter, this.isConnected).catch(() => undefined);
      }
    };
    if (!this.book.has(filter)) {
      const spec: SubscriptionSpec = { filter, qos, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] };
      const state = await this.book.add(spec, this.isConnected, true);
      if (state.status === 'refused') {
        await forget();
        throw new ApiFailure('refused-by-broker', state.reasonText ?? `The broker refused the subscription to ${filter}.`, { reasonCode: state.reasonCode });
      }
    }
    return forget;
  }

  // ---------------------------------------------------------------- subscriptions (API)

  async addSubscription(spec: SubscriptionSpec): Promise<SessionStatus> {
    const problem = topicFilterProblem(spec.filter);
    if (problem) throw new ApiFailure('invalid-argument', problem);
    const v5Only = spec.noLocal || spec.retainAsPublished || spec.retainHandling !== 0 || spec.subscriptionIdentifier !== undefined || spec.userProperties.length > 0;
    if (this.protocolVersion !== 5 && v5Only) {
      throw new ApiFailure(
        'invalid-argument',
        'No Local, Retain As Published, Retain Handling, subscription identifiers and user properties need MQTT 5; this profile uses an older version.',
      );
    }
    if (spec.noLocal && spec.filter.startsWith('$share/')) {
      // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error.
      throw new ApiFailure('invalid-argument', 'No Local cannot be used on a shared subscription ($share/...). Turn it off for this filter.');
    }
    await this.book.add(spec, this.isConnected);
    this.emitStatus();
    return this.status();
  }

  async removeSubscription(filter: string): Promise<SubscriptionRemoval> {
    if (this.book.isHidden(filter) || !this.book.has(filter)) {
      throw new ApiFailure('not-found', `There is no subscription to ${filter} on this connection.`);
    }
    let unsuback: UnsubackOutcome | null = null;
    // An engine caller still listens on it: keep it on the broker, out of sight.
    if (this.inbound.hasListeners(filter)) this.book.hide(filter);
    else unsuback = await this.book.remove(filter, this.isConnected);
    this.emitStatus();
    return { status: this.status(), unsuback };
  }

  // ---------------------------------------------------------------- lifecycle

  private async start(): Promise<void> {
    this.closing = false;
    const previous = this.client;
    this.client = undefined;
    if (previous !== undefined) previous.end(true);
    const profile = this.deps.profiles.get(this.connectionId);
    this.profile = profile;
    this.clientId = clientIdFor(profile, this.deps.launchSuffix);
    this.attempt = 0;
    this.nextRetryAt = undefined;
    this.connackState = undefined;
    this.warnings = [];
    this.book.reset(profile.subscriptions.map((spec) => forVersion(spec, profile.protocolVersion)));
    this.publisher = new Publisher(profile.protocolVersion, () => this.isConnected);
    this.setState('connecting');
    let client: MqttClient;
    try {
      const secret = (name: Parameters<ProfileSource['secret']>[1]): Promise<string | undefined> => this.deps.profiles.secret(this.connectionId, name);
      const built = await buildClientOptions(profile, this.clientId, secret, this.deps.readFile);
      if (this.closing) return;
      this.network = built.network;
      this.warnings = built.warnings;
      this.inbound.begin(this.deps.recording.recorder(this.connectionId, profile.retention), built.options.properties?.topicAliasMaximum ?? 0);
      client = mqtt.connect(built.options);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.setState('error', text);
      this.settleOpening();
      return;
    }
    this.client = client;
    this.attach(client);
    this.connectNow(client, false);
  }

  private attach(client: MqttClient): void {
    const mine = (): boolean => this.client === client && !this.closing;
    // mqtt.js waits for this callback before it reads more from the socket: the recorder's
    // `resume` is the backpressure valve.
    client.handleMessage = (packet, done) => this.inbound.handle(packet, done);
    client.on('packetsend', (packet) => this.deps.log.add('out', packet));
    client.on('packetreceive', (packet) => {
      this.deps.log.add('in', packet);
      if (mine()) this.onPacket(packet);
    });
    client.on('connect', (packet) => {
      if (mine()) void this.onConnect(client, packet);
    });
    client.on('disconnect', (packet) => {
      if (!mine()) return;
      this.serverDisconnect = packet;
      // [MQTT-3.14.4-2] the server closes the connection after DISCONNECT; mqtt.js would wait for that.
      client.stream?.destroy();
    });
    client.on('error', (error) => {
      if (mine() && this.network !== undefined) this.failure ??= (this.lastConnack && connackFailure(this.lastConnack, this.protocolVersion)) || errorFailure(error, this.network);
    });
    client.on('close', () => {
      if (mine()) this.onClose(client);
    });
  }

  private connectNow(client: MqttClient, again: boolean): void {
    this.failure = undefined;
    this.lastConnack = undefined;
    this.serverDisconnect = undefined;
    this.inbound.networkConnectionEnded();
    try {
      // Keep received QoS 2 messages awaiting PUBREL: a resumed session completes them.
      if (again) client.reconnect({ incomingStore: client.incomingStore });
      else client.connect();
    } catch (error) {
      // A stream that cannot even be built (a malformed WebSocket URL) will not build next time.
      this.afterFailure({ text: `Topograph could not start the connection: ${(error as Error).message}. Check the host and path of this profile.`, final: true });
    }
  }

  private onPacket(packet: Packet): void {
    switch (packet.cmd) {
      case 'connack':
        // Only here are the Reason String and Server Reference of a refusal visible.
        this.lastConnack = packet;
        break;
      case 'publish':
        this.inbound.resolveAlias(packet);
        break;
      case 'puback':
      case 'pubrec':
      case 'pubcomp':
        this.publisher.onAck(packet);
        break;
      default:
        break;
    }
  }

  private async onConnect(client: MqttClient, packet: IConnackPacket): Promise<void> {
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => (this.attempt = 0), STABLE_MS);
    this.nextRetryAt = undefined;
    this.failure = undefined;
    this.connackState = connackInfo(packet, this.protocolVersion);
    const assigned = packet.properties?.assignedClientIdentifier;
    if (assigned !== undefined && assigned !== '') this.clientId = assigned;
    this.setState('connected');
    await this.book.onConnected(packet.sessionPresent);
    if (this.client !== client) return;
    this.emitStatus();
    this.settleOpening();
  }

  private onClose(client: MqttClient): void {
    clearTimeout(this.stableTimer);
    const wasConnected = this.state === 'connected';
    this.dropPending(client);
    this.publisher.onConnectionClosed();
    this.book.onDisconnected();
    this.inbound.networkConnectionEnded();
    const network = this.network ?? { host: '', port: 0, transport: 'mqtt' as const };
    const failure =
      (this.serverDisconnect && serverDisconnectFailure(this.serverDisconnect)) || this.failure || silentCloseFailure(wasConnected, network);
    this.afterFailure(failure);
  }

  private afterFailure(failure: Failure): void {
    const reconnect = this.profile?.reconnect;
    if (failure.final || reconnect?.enabled !== true) {
      this.attempt = 0;
      this.nextRetryAt = undefined;
      const manual = failure.final ? '' : ' Automatic reconnect is off in this profile: connect again when ready.';
      this.setState('error', `${failure.text}${manual}`);
      this.settleOpening();
      return;
    }
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, reconnect.initialDelayMs, reconnect.maxDelayMs);
    this.nextRetryAt = Date.now() + delay;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.retry(), delay);
    this.setState('reconnecting', failure.text);
    this.settleOpening();
  }

  private retry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextRetryAt = undefined;
    const client = this.client;
    if (client === undefined || this.closing) return;
    this.emitStatus();
    this.connectNow(client, true);
  }

  /** Fails what waits for an answer that will not come on this network connection. */
  private dropPending(client: MqttClient): void {
    for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
  }

  private requireConnected(): MqttClient {
    if (this.client === undefined || !this.isConnected) {
      throw new ApiFailure('not-connected', `${this.profile?.name ?? 'This connection'} is not connected. Connect it first.`);
    }
    return this.client;
  }

  private setState(state: ConnectionState, error?: string): void {
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.error = error;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.deps.events.emit({ type: 'connection.status', status: this.status() });
  }

  private settleOpening(): void {
    const opening = this.opening;
    this.opening = undefined;
    opening?.resolve();
  }
}

/** DISCONNECT when connected, then close; a broker that does not let go within the grace is cut. */
function endClient(client: MqttClient, graceful: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.stream?.destroy();
      resolve();
    }, END_GRACE_MS);
    client.end(!graceful, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
