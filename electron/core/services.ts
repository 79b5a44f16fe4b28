/**
 * The seams between the engine's parts. Each part (profiles, connection, data, publish, broker)
 * implements its side and is wired together in engine.ts; none reaches into another's files.
 */
import type { EngineEvent } from '../common/api';
import type { PublishProperties, ProfileView, QoS, ReceivedProperties, RetentionSettings, SecretName } from '../common/model';
import type { ConnackInfo, PublishOutcome } from '../common/session';

export interface EventSink {
  /** Queues an event; the hub delivers queued events in one batch per flush interval. */
  emit(event: EngineEvent): void;
}

/** Profiles with their secrets (profiles/ implements it). */
export interface ProfileSource {
  /** Throws ApiFailure('not-found') for an unknown id. */
  get(id: string): ProfileView;
  /** The saved secret, or undefined. Never sent to the renderer. */
  secret(id: string, name: SecretName): Promise<string | undefined>;
}

/** What other parts keep for a profile and let go of when it is deleted (engine.ts wires it). */
export interface ProfileLeftovers {
  /** Closes what is open for the profile and removes its files; reports what it cannot remove. Never rejects. */
  forget(connectionId: string): Promise<void>;
}

/** A PUBLISH as the engine received it; `payload` is the raw bytes, never decoded on this path. */
export interface ReceivedMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties: ReceivedProperties;
  /** Epoch ms at receipt. */
  time: number;
}

/** The hot path of one connection: tree + store (data/ implements it). */
export interface ConnectionRecorder {
  /**
   * Records one message in O(topic depth). Calls `resume` at once, or later when the store has
   * caught up: the connection passes mqtt.js's handleMessage callback, so a late call is backpressure.
   */
  record(message: ReceivedMessage, resume: () => void): void;
}

export interface Recording {
  /** Opens (or returns) the recorder of a connection, loading its tree from disk the first time. */
  recorder(connectionId: string, retention: RetentionSettings): ConnectionRecorder;
}

export interface PublishOptions {
  qos: QoS;
  retain: boolean;
  properties: PublishProperties;
}

/** A connected session that others may publish and subscribe through (connection/ implements it). */
export interface LiveSession {
  readonly connectionId: string;
  readonly protocolVersion: 3 | 4 | 5;
  /** What the broker granted; undefined before the first CONNACK. */
  readonly connack: ConnackInfo | undefined;
  /** Publishes exactly these bytes and properties; resolves with the broker's answer. */
  publish(topic: string, payload: Uint8Array, options: PublishOptions): Promise<PublishOutcome>;
  /**
   * Subscribes to `filter` for a caller of its own (request/response); messages on it are also
   * recorded as usual. Resolves with a function that unsubscribes.
   */
  listen(filter: string, qos: QoS, onMessage: (message: ReceivedMessage) => void): Promise<() => Promise<void>>;
}

export interface Sessions {
  /** Throws ApiFailure('not-connected') when the connection is not open and connected. */
  live(connectionId: string): LiveSession;
}

/** Everything a part may need; built once by the Engine. */
export interface EngineContext {
  dataDir: string;
  host: 'desktop' | 'web';
  version: string;
  events: EventSink;
  /** Problems to show at start (a corrupt file kept aside, ...). */
  problems: string[];
  /**
   * Registers a producer that runs before each event flush (tree deltas, stats); returns a function
   * that unregisters it. Absent when a part runs without an EventHub (a part then keeps its own timer).
   */
  onFlush?(produce: () => void): () => void;
}

/**
 * Turns secrets into what is written to disk. The profiles part keeps sealed secrets in their own
 * 0600 file, apart from profiles. Desktop: Electron's safeStorage (main implements it); web host:
 * `plainSecretBox` (the file's 0600 mode is the protection there).
 */
export interface SecretBox {
  readonly kind: 'safeStorage' | 'basic_text' | 'file';
  /** Shown to the person, e.g. when Linux safeStorage falls back to basic_text. */
  readonly warning?: string;
  seal(plain: string): string;
  unseal(sealed: string): string;
}
