/**
 * The domain model shared by engine and UI, as zod schemas with their inferred types.
 * The schemas double as the boundary validation: the renderer is untrusted.
 */
import { z } from 'zod';

export const MAX_UINT32 = 0xffffffff;
/** [MQTT-1.5.4] strings are at most 65,535 bytes. */
const mqttString = z.string().max(65535);
export const bytes = z.instanceof(Uint8Array);
const uint16 = z.number().int().min(0).max(65535);
const uint32 = z.number().int().min(0).max(MAX_UINT32);

export const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type QoS = z.infer<typeof qos>;

export const userProperty = z.object({ name: mqttString, value: mqttString });
export type UserProperty = z.infer<typeof userProperty>;
const userProperties = z.array(userProperty).max(1000);

/** Bytes a person types: text, hex (spaces allowed) or base64. */
export const bytesInput = z.object({ format: z.enum(['text', 'hex', 'base64']), value: z.string().max(10_000_000) });
export type BytesInput = z.infer<typeof bytesInput>;

// ---------------------------------------------------------------- subscriptions

export const subscriptionSpec = z.object({
  filter: mqttString.min(1),
  qos,
  noLocal: z.boolean().default(false),
  retainAsPublished: z.boolean().default(false),
  retainHandling: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
  /** 1..268,435,455; absent = none. */
  subscriptionIdentifier: z.number().int().min(1).max(268_435_455).optional(),
  userProperties: userProperties.default([]),
});
export type SubscriptionSpec = z.infer<typeof subscriptionSpec>;

export interface SubscriptionState extends SubscriptionSpec {
  status: 'pending' | 'granted' | 'refused' | 'inactive';
  /** SUBACK reason code (granted QoS 0..2, or >= 0x80 refused). */
  reasonCode?: number;
  reasonText?: string;
}

// ---------------------------------------------------------------- profiles

export const pemSource = z.object({
  kind: z.enum(['none', 'file', 'pem']),
  /** A file path when kind = file; PEM text when kind = pem (for the key: kept in the SecretBox). */
  value: z.string().max(1_000_000).default(''),
});
export type PemSource = z.infer<typeof pemSource>;

export const tlsSettings = z.object({
  ca: pemSource.default({ kind: 'none', value: '' }),
  cert: pemSource.default({ kind: 'none', value: '' }),
  key: pemSource.default({ kind: 'none', value: '' }),
  /** PKCS#12 (.pfx/.p12) file; its passphrase is a secret. */
  pfxPath: z.string().max(4096).default(''),
  rejectUnauthorized: z.boolean().default(true),
  /** SNI server name; lets a person connect by IP to a broker whose certificate names a host. */
  servername: z.string().max(253).default(''),
  alpn: z.array(z.string().min(1).max(255)).max(16).default([]),
});
export type TlsSettings = z.infer<typeof tlsSettings>;

export const willProperties = z.object({
  willDelayInterval: uint32.optional(),
  payloadFormatIndicator: z.boolean().optional(),
  messageExpiryInterval: uint32.optional(),
  contentType: mqttString.optional(),
  responseTopic: mqttString.optional(),
  correlationData: bytesInput.optional(),
  userProperties: userProperties.default([]),
});

export const willSettings = z.object({
  topic: mqttString.min(1),
  payload: bytesInput.default({ format: 'text', value: '' }),
  qos: qos.default(0),
  retain: z.boolean().default(false),
  properties: willProperties.default({ userProperties: [] }),
});
export type WillSettings = z.infer<typeof willSettings>;

export const connectProperties = z.object({
  receiveMaximum: z.number().int().min(1).max(65535).optional(),
  maximumPacketSize: z.number().int().min(1).max(MAX_UINT32).optional(),
  topicAliasMaximum: uint16.optional(),
  requestResponseInformation: z.boolean().optional(),
  requestProblemInformation: z.boolean().optional(),
  userProperties: userProperties.default([]),
});

export const retentionSettings = z.object({
  /** Messages kept per topic; the latest of each topic always survives. */
  maxPerTopic: z.number().int().min(1).max(10_000_000).default(1000),
  /** Total payload bytes kept for this profile. */
  maxBytes: z.number().int().min(1_000_000).max(1_000_000_000_000).default(1_000_000_000),
  /** Age in seconds; 0 = keep forever. */
  maxAgeSeconds: z.number().int().min(0).max(MAX_UINT32).default(30 * 24 * 3600),
});
export type RetentionSettings = z.infer<typeof retentionSettings>;

export const transport = z.enum(['mqtt', 'mqtts', 'ws', 'wss']);
export type Transport = z.infer<typeof transport>;
export const DEFAULT_PORTS: Record<Transport, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

export const SECRET_NAMES = ['password', 'keyPassphrase', 'pfxPassphrase', 'keyPem'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** The part of a profile that is stored as plain JSON: everything but secrets. */
export const profileFields = z.object({
  name: z.string().min(1).max(200),
  /** 3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0 (mqtt.js's numbering). */
  protocolVersion: z.union([z.literal(3), z.literal(4), z.literal(5)]).default(5),
  transport: transport.default('mqtt'),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  /** WebSocket path. */
  path: z.string().max(1024).default('/mqtt'),
  clientId: mqttString.default(''),
  /** Adds a random suffix per launch so two running copies do not take over each other's session. */
  clientIdSuffix: z.boolean().default(true),
  username: mqttString.default(''),
  keepalive: uint16.default(60),
  /** Clean start (v5) / clean session (3.x). */
  clean: z.boolean().default(true),
  /** v5; 0 = ends with the connection, 0xFFFFFFFF = never. */
  sessionExpiryInterval: uint32.default(0),
  connectTimeoutMs: z.number().int().min(1000).max(300_000).default(10_000),
  reconnect: z
    .object({
      enabled: z.boolean().default(true),
      initialDelayMs: z.number().int().min(100).max(600_000).default(1000),
      maxDelayMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .default({ enabled: true, initialDelayMs: 1000, maxDelayMs: 30_000 }),
  tls: tlsSettings.prefault({}),
  connectProperties: connectProperties.default({ userProperties: [] }),
  will: willSettings.nullable().default(null),
  subscriptions: z.array(subscriptionSpec).max(1000).default([]),
  retention: retentionSettings.prefault({}),
});
export type ProfileFields = z.infer<typeof profileFields>;

export const secretUpdate = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({ action: z.literal('set'), value: z.string().max(1_000_000) }),
  z.object({ action: z.literal('clear') }),
]);
export type SecretUpdate = z.infer<typeof secretUpdate>;

/** What the UI sends to save a profile. Secrets travel one way only: in. */
export const profileInput = profileFields.extend({
  id: z.string().max(100).optional(),
  secrets: z.partialRecord(z.enum(SECRET_NAMES), secretUpdate).default({}),
});
export type ProfileInput = z.infer<typeof profileInput>;

/** What the UI gets back: never a secret's value, only whether one is saved. */
export type ProfileView = ProfileFields & {
  id: string;
  secrets: Record<SecretName, boolean>;
};

export interface ProfilePreset {
  id: string;
  label: string;
  description: string;
  fields: Partial<ProfileFields>;
}

// ---------------------------------------------------------------- messages

export const publishProperties = z.object({
  payloadFormatIndicator: z.boolean().optional(),
  messageExpiryInterval: uint32.optional(),
  contentType: mqttString.optional(),
  responseTopic: mqttString.optional(),
  correlationData: bytes.optional(),
  userProperties: userProperties.optional(),
  /** 1..broker's Topic Alias Maximum. 0 passes the schema so checkPublish can say why it is refused. */
  topicAlias: z.number().int().min(0).max(65535).optional(),
});
export type PublishProperties = z.infer<typeof publishProperties>;

/** Properties of a received PUBLISH. */
export interface ReceivedProperties extends PublishProperties {
  subscriptionIdentifiers?: number[];
}

export interface MessageRecord {
  id: number;
  topic: string;
  payload: Uint8Array;
  /** Milliseconds since the epoch, when the engine received it. */
  time: number;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties: ReceivedProperties;
  /** True when it was recorded in an earlier run of the app. */
  recorded: boolean;
  /** Set when the request's `maxPayloadBytes` cut `payload` short: it then holds only the first bytes. */
  payloadTruncated?: true;
  /** The full payload size in bytes, set together with `payloadTruncated`. */
  payloadSize?: number;
}

export interface MessageSummary {
  id: number;
  topic: string;
  time: number;
  size: number;
  qos: QoS;
  retain: boolean;
  preview: string;
  /** True when the preview is shorter than the payload. */
  previewCut: boolean;
}
