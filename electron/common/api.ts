/**
 * The one contract between the engine and every UI: request methods (params schema + result type)
 * and the events the engine emits in batches. IPC channel names, the preload's exposed functions
 * and the web host's JSON-RPC methods are all derived from `apiMethods`; no loose strings elsewhere.
 */
import { z } from 'zod';
import {
  bytes,
  profileInput,
  publishProperties,
  qos,
  subscriptionSpec,
  type MessageRecord,
  type MessageSummary,
  type ProfilePreset,
  type ProfileView,
} from './model';
import type {
  ConnectionStats,
  ProtocolLogEntry,
  PublishOutcome,
  SearchResult,
  SessionStatus,
  TreeDelta,
  TreeNodeView,
  TreeOutline,
} from './session';
import type { Result } from './result';

interface MethodDef<P extends z.ZodType, R> {
  params: P;
  /** Phantom: the result type, never set at run time. */
  readonly result?: R;
}
const method =
  <R>() =>
  <P extends z.ZodType>(params: P): MethodDef<P, R> => ({ params });

const id = z.string().min(1).max(100);
const connection = z.object({ connectionId: id });
/** Send at most this many payload bytes (a viewer of a huge message needs only its head); absent = all. */
const maxPayloadBytes = z.number().int().min(0).optional();
const nodeRef = connection.extend({ nodeId: z.number().int().min(0) });
const none = z.object({}).strict();

/** A payload as the person wrote it; the engine encodes and validates it (and expands repeat placeholders). */
export const payloadSource = z.discriminatedUnion('format', [
  z.object({ format: z.enum(['text', 'json', 'hex', 'base64']), value: z.string().max(300_000_000) }),
  z.object({ format: z.literal('bytes'), value: bytes }),
]);
export type PayloadSource = z.infer<typeof payloadSource>;

export const publishRequest = z.object({
  /** Empty only together with a topic alias (v5). */
  topic: z.string().max(65535),
  payload: payloadSource,
  qos,
  retain: z.boolean().default(false),
  properties: publishProperties.default({}),
  /** Let the engine choose and reuse a topic alias for this topic (v5). */
  autoTopicAlias: z.boolean().default(false),
});
export type PublishRequest = z.infer<typeof publishRequest>;
export type PublishRequestInput = z.input<typeof publishRequest>;

export const savedMessage = publishRequest.extend({
  id: z.string().max(100).optional(),
  name: z.string().min(1).max(200),
  folder: z.string().max(200).default(''),
});
export type SavedMessage = z.infer<typeof savedMessage> & { id: string };

export const DECODERS = ['auto', 'text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'sparkplug', 'protobuf'] as const;
export type DecoderName = (typeof DECODERS)[number];

export interface DecodedPayload {
  /** The decoder that produced `text` (auto resolves to one). */
  decoder: Exclude<DecoderName, 'auto'>;
  /** Monaco language id for `text`. */
  language: 'json' | 'plaintext' | 'hexdump';
  text: string;
  /** Set when the chosen decoder failed; `text` then holds a hex dump. */
  error?: string;
  size: number;
  ms: number;
  /** Set when the request's `maxChars` cut `text` short. */
  truncated?: true;
  /** Length of the whole decoded text in characters, set together with `truncated`. */
  textLength?: number;
}

export interface AppInfo {
  version: string;
  host: 'desktop' | 'web';
  platform: string;
  dataDir: string;
  secretStorage: { kind: 'safeStorage' | 'basic_text' | 'file'; warning?: string };
  /** Problems found at start (a corrupt file kept aside, ...), as sentences. */
  problems: string[];
}

export interface PublishHistoryEntry {
  id: number;
  connectionId: string;
  time: number;
  request: PublishRequest;
  outcome?: PublishOutcome;
  error?: string;
  /** Present when the entry stands for a whole repeat job: `request` is its template, `outcome` its last send's. */
  repeat?: RepeatSummary;
}

/** A repeat job as the publish history keeps it: one entry, written when the job ends. */
export interface RepeatSummary {
  sent: number;
  /** Absent = until stopped. */
  total?: number;
  intervalMs: number;
  state: 'done' | 'stopped' | 'failed';
}

export interface RepeatProgress {
  jobId: string;
  connectionId: string;
  sent: number;
  /** Absent = until stopped. */
  total?: number;
  state: 'running' | 'done' | 'stopped' | 'failed';
  error?: string;
}

/** How far `retained.clear` has come: sent while it runs (throttled) and once when it ends. */
export interface RetainedClearProgress {
  connectionId: string;
  /** The node the clear was asked for. */
  nodeId: number;
  /** Topics handled so far, cleared or failed. */
  done: number;
  /** Of those, the ones the broker or the connection refused. */
  failed: number;
  total: number;
}

export interface RequestReply {
  response: MessageRecord;
  roundTripMs: number;
  responseTopic: string;
}

export interface BrokerClientInfo {
  clientId: string;
  address: string;
  subscriptions: string[];
}

export interface BrokerStatus {
  running: boolean;
  host: string;
  port: number;
  /** The machine's addresses a device can use (when listening on all interfaces). */
  addresses: string[];
  clients: BrokerClientInfo[];
  /** e.g. "Port 1883 was taken; listening on 50123 instead." */
  message?: string;
  /** The built-in broker (aedes) speaks MQTT 3.1.1 only: a profile for it must use protocol version 4. */
  protocolVersion: 4;
  /** True when clients must give the user name and password set at start. */
  authRequired: boolean;
  demo: {
    running: boolean;
    devices: number;
    messagesPerSecond: number;
    targetConnectionId?: string;
    /** Topics the demo publishes to. */
    topics: number;
    /** Why the demo paused or stopped, as a sentence. */
    message?: string;
  };
}

/** The broker's UNSUBACK for one filter (MQTT 3.x has no codes: its UNSUBACK counts as 0, Success). */
export interface UnsubackOutcome {
  filter: string;
  code: number;
  /** The code's name, e.g. "Success" or "No subscription existed". */
  name: string;
  reasonString?: string;
}

/** What subscription.remove did: the session afterwards, and the UNSUBACK when an UNSUBSCRIBE was sent. */
export interface SubscriptionRemoval {
  status: SessionStatus;
  /** Null when nothing was sent: not connected, or an engine caller still listens on the filter (kept on the broker, out of the list). */
  unsuback: UnsubackOutcome | null;
}

export const apiMethods = {
  'app.info': method<AppInfo>()(none),
  'settings.get': method<Record<string, unknown>>()(z.object({ scope: id })),
  'settings.set': method<void>()(z.object({ scope: id, key: z.string().min(1).max(200), value: z.json() })),

  'profiles.list': method<ProfileView[]>()(none),
  'profiles.presets': method<ProfilePreset[]>()(none),
  'profiles.save': method<ProfileView>()(z.object({ profile: profileInput })),
  'profiles.duplicate': method<ProfileView>()(z.object({ id })),
  'profiles.delete': method<void>()(z.object({ id })),
  'profiles.reorder': method<ProfileView[]>()(z.object({ ids: z.array(id).max(10_000) })),
  'profiles.export': method<{ json: string }>()(z.object({ ids: z.array(id).max(10_000), includeSecrets: z.boolean().default(false) })),
  'profiles.import': method<{ imported: ProfileView[]; problems: string[] }>()(z.object({ json: z.string().max(50_000_000) })),

  'connection.open': method<SessionStatus>()(connection),
  'connection.close': method<void>()(connection),
  'connection.list': method<SessionStatus[]>()(none),
  'connection.stats': method<ConnectionStats[]>()(none),
  'subscription.add': method<SessionStatus>()(connection.extend({ subscription: subscriptionSpec })),
  'subscription.remove': method<SubscriptionRemoval>()(connection.extend({ filter: z.string().min(1).max(65535) })),
  'log.get': method<ProtocolLogEntry[]>()(
    connection.extend({ afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(10_000).default(1000) }),
  ),
  'log.export': method<{ text: string }>()(connection),

  'tree.children': method<TreeNodeView[]>()(nodeRef),
  'tree.collapse': method<void>()(nodeRef),
  'tree.expandAll': method<TreeOutline>()(nodeRef.extend({ limit: z.number().int().min(1).max(200_000).default(20_000) })),
  'tree.reopen': method<TreeOutline>()(
    connection.extend({ topics: z.array(z.string().max(65535)).max(200_000), limit: z.number().int().min(1).max(200_000).default(100_000) }),
  ),
  'tree.nodes': method<(TreeNodeView | null)[]>()(connection.extend({ ids: z.array(z.number().int().min(0)).max(2000) })),
  'tree.find': method<TreeNodeView | null>()(connection.extend({ topic: z.string().max(65535) })),
  'tree.search': method<SearchResult>()(
    connection.extend({
      query: z.string().max(10_000),
      mode: z.enum(['substring', 'wildcard', 'regex']),
      scope: z.enum(['topic', 'payload', 'both']).default('topic'),
      caseSensitive: z.boolean().default(false),
      limit: z.number().int().min(1).max(100_000).default(5000),
    }),
  ),
  'tree.clear': method<void>()(connection),
  'retained.clear': method<{ cleared: number; failed: { topic: string; error: string }[] }>()(
    nodeRef.extend({ subtree: z.boolean().default(false) }),
  ),
  'retained.count': method<{ count: number; topics: string[] }>()(nodeRef.extend({ subtree: z.boolean().default(true) })),

  'messages.get': method<MessageRecord>()(connection.extend({ id: z.number().int().min(0), maxPayloadBytes })),
  'messages.latest': method<MessageRecord | null>()(connection.extend({ topic: z.string().max(65535), maxPayloadBytes })),
  'messages.history': method<MessageSummary[]>()(
    connection.extend({
      topic: z.string().max(65535),
      /** Page cursor: messages older than this id. */
      beforeId: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(10_000).default(200),
    }),
  ),
  'messages.decode': method<DecodedPayload>()(
    connection.extend({
      id: z.number().int().min(0),
      decoder: z.enum(DECODERS).default('auto'),
      /** For protobuf: the .proto text and the fully qualified message type. */
      proto: z.object({ source: z.string().max(5_000_000), messageType: z.string().min(1).max(500) }).optional(),
      /** Send at most this many characters of `text` (the UI shows no more); absent = all of it. */
      maxChars: z.number().int().min(0).optional(),
    }),
  ),
  'messages.export': method<{ filePath: string; rows: number }>()(
    connection.extend({
      /** A topic (with `subtree`, everything below it) or an MQTT filter. Give this or `topics`, not both. */
      topic: z.string().max(65535).optional(),
      /** Exact topics, e.g. those a search matched; filters are taken literally. Give this or `topic`, not both. */
      topics: z.array(z.string().max(65535)).max(100_000).optional(),
      subtree: z.boolean().default(true),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      format: z.enum(['jsonl', 'csv']),
      /** A file name (or relative path) inside the data dir's exports folder; a path leaving it is refused. Default: a generated name there. */
      filePath: z.string().max(4096).optional(),
    }),
  ),

  'publish.send': method<PublishOutcome>()(connection.extend({ message: publishRequest })),
  'publish.history': method<PublishHistoryEntry[]>()(
    connection.extend({ query: z.string().max(1000).default(''), limit: z.number().int().min(1).max(10_000).default(200) }),
  ),
  'publish.repeatStart': method<RepeatProgress>()(
    connection.extend({
      message: publishRequest,
      intervalMs: z.number().int().min(10).max(86_400_000),
      count: z.number().int().min(1).max(100_000_000).optional(),
    }),
  ),
  'publish.repeatStop': method<RepeatProgress>()(z.object({ jobId: id })),
  'publish.request': method<RequestReply>()(
    connection.extend({
      message: publishRequest,
      responseTopic: z.string().max(65535).optional(),
      timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    }),
  ),
  'saved.list': method<SavedMessage[]>()(z.object({ scope: id })),
  'saved.save': method<SavedMessage>()(z.object({ scope: id, message: savedMessage })),
  'saved.delete': method<void>()(z.object({ scope: id, id })),
  'saved.export': method<{ json: string }>()(z.object({ scope: id })),
  'saved.import': method<{ imported: number; problems: string[] }>()(z.object({ scope: id, json: z.string().max(50_000_000) })),

  'broker.start': method<BrokerStatus>()(
    z.object({
      port: z.number().int().min(0).max(65535).default(1883),
      host: z.enum(['127.0.0.1', '0.0.0.0']).default('127.0.0.1'),
      username: z.string().max(65535).optional(),
      password: z.string().max(65535).optional(),
    }),
  ),
  'broker.stop': method<BrokerStatus>()(none),
  'broker.status': method<BrokerStatus>()(none),
  'demo.start': method<BrokerStatus>()(
    z.object({
      /** A profile to publish through; absent = the built-in broker. */
      connectionId: id.optional(),
      messagesPerSecond: z.number().min(1).max(10_000).default(50),
    }),
  ),
  'demo.stop': method<BrokerStatus>()(none),
} as const;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
/** What a caller sends (defaults may be left out). */
export type ParamsOf<M extends MethodName> = z.input<ApiMethods[M]['params']>;
/** What a handler receives, after validation and defaults. */
export type ParsedParamsOf<M extends MethodName> = z.output<ApiMethods[M]['params']>;
export type ResultOf<M extends MethodName> = ApiMethods[M] extends MethodDef<z.ZodType, infer R> ? R : never;

export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];
export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, name);

export type ApiHandlers = {
  [M in MethodName]: (params: ParsedParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
};

export type EngineEvent =
  | { type: 'connection.status'; status: SessionStatus }
  | { type: 'connection.stats'; stats: ConnectionStats[] }
  | { type: 'tree.delta'; delta: TreeDelta }
  | { type: 'profiles.changed'; profiles: ProfileView[] }
  | { type: 'publish.repeat'; progress: RepeatProgress }
  | { type: 'retained.progress'; progress: RetainedClearProgress }
  | { type: 'broker.status'; status: BrokerStatus }
  | { type: 'app.problem'; message: string };

/** Events travel in batches, one per flush interval (~100 ms), never one per MQTT message. */
export type EventBatch = EngineEvent[];

/** What the renderer holds, whichever transport is underneath. */
export interface TopographApi {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>>;
  onEvents(listener: (batch: EventBatch) => void): () => void;
}

// ---- transport names, derived from the contract

export const IPC_PREFIX = 'topograph:';
export const ipcChannel = (name: MethodName): string => IPC_PREFIX + name;
export const IPC_EVENTS_CHANNEL = 'topograph:events';
/** The preload exposes the API under `window[BRIDGE_KEY]`. */
export const BRIDGE_KEY = 'topograph';
/** The JSON-RPC notification method that carries an event batch. */
export const RPC_EVENTS_METHOD = 'events';
