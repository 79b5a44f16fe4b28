/**
 * The profile editor's form model: what the person edits, built from a ProfileView or a preset and
 * turned back into a ProfileInput. Optional numbers are NaN while unset (that is what a cleared
 * number input gives), so every field has one shape.
 */
import {
  DEFAULT_PORTS,
  SECRET_NAMES,
  type BytesInput,
  type PemSource,
  type ProfileFields,
  type ProfileInput,
  type ProfilePreset,
  type ProfileView,
  type SecretName,
  type SecretUpdate,
  type SubscriptionSpec,
  type Transport,
  type UserProperty,
} from '@common/model';

export const SESSION_NEVER_EXPIRES = 0xffffffff;

export interface SecretState {
  /** The engine holds a value (it never sends it back). */
  saved: boolean;
  action: 'keep' | 'set' | 'clear';
  /** The new value while action is 'set'. */
  value: string;
}

export interface SubscriptionForm {
  filter: string;
  qos: 0 | 1 | 2;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  /** NaN = none. */
  subscriptionIdentifier: number;
  userProperties: UserProperty[];
}

export type AgeUnit = 'hours' | 'days';
export type ExpiryMode = 'end' | 'seconds' | 'never';
/** Tri-state for an optional boolean property. */
export type Flag = 'unset' | 'on' | 'off';

export interface ProfileForm {
  id?: string;
  name: string;
  protocolVersion: 3 | 4 | 5;
  transport: Transport;
  host: string;
  port: number;
  /** True once the person typed a port, so a transport change no longer replaces it. */
  portEdited: boolean;
  path: string;
  clientId: string;
  clientIdSuffix: boolean;
  username: string;
  keepalive: number;
  clean: boolean;
  expiryMode: ExpiryMode;
  expirySeconds: number;
  connectTimeoutSeconds: number;
  reconnect: { enabled: boolean; initialDelaySeconds: number; maxDelaySeconds: number };
  tls: { ca: PemSource; cert: PemSource; key: PemSource; pfxPath: string; rejectUnauthorized: boolean; servername: string; alpn: string };
  connect: {
    receiveMaximum: number;
    maximumPacketSize: number;
    topicAliasMaximum: number;
    requestResponseInformation: Flag;
    requestProblemInformation: Flag;
    userProperties: UserProperty[];
  };
  willEnabled: boolean;
  will: {
    topic: string;
    payload: BytesInput;
    qos: 0 | 1 | 2;
    retain: boolean;
    delay: number;
    payloadFormat: Flag;
    expiry: number;
    contentType: string;
    responseTopic: string;
    correlationData: BytesInput;
    userProperties: UserProperty[];
  };
  subscriptions: SubscriptionForm[];
  retention: { maxPerTopic: number; maxMegabytes: number; maxAge: number; maxAgeUnit: AgeUnit };
  secrets: Record<SecretName, SecretState>;
}

const none = (): PemSource => ({ kind: 'none', value: '' });
const unsetIfAbsent = (value: number | undefined): number => (value === undefined ? NaN : value);
const flag = (value: boolean | undefined): Flag => (value === undefined ? 'unset' : value ? 'on' : 'off');
const fromFlag = (value: Flag): boolean | undefined => (value === 'unset' ? undefined : value === 'on');
const optionalNumber = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);
const optionalText = (value: string): string | undefined => (value === '' ? undefined : value);

export function blankSubscription(filter = ''): SubscriptionForm {
  return { filter, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0, subscriptionIdentifier: NaN, userProperties: [] };
}

export function subscriptionForm(spec: Partial<SubscriptionSpec> & { filter: string }): SubscriptionForm {
  return {
    filter: spec.filter,
    qos: spec.qos ?? 0,
    noLocal: spec.noLocal ?? false,
    retainAsPublished: spec.retainAsPublished ?? false,
    retainHandling: spec.retainHandling ?? 0,
    subscriptionIdentifier: unsetIfAbsent(spec.subscriptionIdentifier),
    userProperties: (spec.userProperties ?? []).map((property) => ({ ...property })),
  };
}

export function subscriptionSpecOf(form: SubscriptionForm): SubscriptionSpec {
  const spec: SubscriptionSpec = {
    filter: form.filter,
    qos: form.qos,
    noLocal: form.noLocal,
    retainAsPublished: form.retainAsPublished,
    retainHandling: form.retainHandling,
    userProperties: form.userProperties.map((property) => ({ ...property })),
  };
  const identifier = optionalNumber(form.subscriptionIdentifier);
  if (identifier !== undefined) spec.subscriptionIdentifier = identifier;
  return spec;
}

/** A random client id a broker will accept (23 characters or fewer, letters and digits). */
export function generateClientId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `topograph-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function secretsOf(saved?: Record<SecretName, boolean>): Record<SecretName, SecretState> {
  const entries = SECRET_NAMES.map((name) => [name, { saved: saved?.[name] ?? false, action: 'keep', value: '' } satisfies SecretState]);
  return Object.fromEntries(entries) as Record<SecretName, SecretState>;
}

function ageOf(seconds: number): { maxAge: number; maxAgeUnit: AgeUnit } {
  if (seconds > 0 && seconds % 86_400 !== 0) return { maxAge: seconds / 3600, maxAgeUnit: 'hours' };
  return { maxAge: seconds / 86_400, maxAgeUnit: 'days' };
}

/** The form for a saved profile (or for profile fields from a preset, with `saved` absent). */
export function formFromFields(fields: Partial<ProfileFields>, options: { id?: string; saved?: Record<SecretName, boolean> } = {}): ProfileForm {
  const transport = fields.transport ?? 'mqtt';
  const port = fields.port ?? DEFAULT_PORTS[transport];
  const expiry = fields.sessionExpiryInterval ?? 0;
  const tls = fields.tls;
  const connect = fields.connectProperties;
  const will = fields.will;
  const retention = fields.retention;
  return {
    id: options.id,
    name: fields.name ?? '',
    protocolVersion: fields.protocolVersion ?? 5,
    transport,
    host: fields.host ?? '',
    port,
    portEdited: port !== DEFAULT_PORTS[transport],
    path: fields.path ?? '/mqtt',
    clientId: fields.clientId ?? '',
    clientIdSuffix: fields.clientIdSuffix ?? true,
    username: fields.username ?? '',
    keepalive: fields.keepalive ?? 60,
    clean: fields.clean ?? true,
    expiryMode: expiry === 0 ? 'end' : expiry === SESSION_NEVER_EXPIRES ? 'never' : 'seconds',
    expirySeconds: expiry === 0 || expiry === SESSION_NEVER_EXPIRES ? 3600 : expiry,
    connectTimeoutSeconds: (fields.connectTimeoutMs ?? 10_000) / 1000,
    reconnect: {
      enabled: fields.reconnect?.enabled ?? true,
      initialDelaySeconds: (fields.reconnect?.initialDelayMs ?? 1000) / 1000,
      maxDelaySeconds: (fields.reconnect?.maxDelayMs ?? 30_000) / 1000,
    },
    tls: {
      ca: { ...(tls?.ca ?? none()) },
      cert: { ...(tls?.cert ?? none()) },
      // The key's PEM text is a secret: it never comes back, only "saved".
      key: tls?.key?.kind === 'pem' ? { kind: 'pem', value: '' } : { ...(tls?.key ?? none()) },
      pfxPath: tls?.pfxPath ?? '',
      rejectUnauthorized: tls?.rejectUnauthorized ?? true,
      servername: tls?.servername ?? '',
      alpn: (tls?.alpn ?? []).join(', '),
    },
    connect: {
      receiveMaximum: unsetIfAbsent(connect?.receiveMaximum),
      maximumPacketSize: unsetIfAbsent(connect?.maximumPacketSize),
      topicAliasMaximum: unsetIfAbsent(connect?.topicAliasMaximum),
      requestResponseInformation: flag(connect?.requestResponseInformation),
      requestProblemInformation: flag(connect?.requestProblemInformation),
      userProperties: (connect?.userProperties ?? []).map((property) => ({ ...property })),
    },
    willEnabled: !!will,
    will: {
      topic: will?.topic ?? '',
      payload: { ...(will?.payload ?? { format: 'text', value: '' }) },
      qos: will?.qos ?? 0,
      retain: will?.retain ?? false,
      delay: unsetIfAbsent(will?.properties?.willDelayInterval),
      payloadFormat: flag(will?.properties?.payloadFormatIndicator),
      expiry: unsetIfAbsent(will?.properties?.messageExpiryInterval),
      contentType: will?.properties?.contentType ?? '',
      responseTopic: will?.properties?.responseTopic ?? '',
      correlationData: { ...(will?.properties?.correlationData ?? { format: 'text', value: '' }) },
      userProperties: (will?.properties?.userProperties ?? []).map((property) => ({ ...property })),
    },
    subscriptions: (fields.subscriptions ?? []).map(subscriptionForm),
    retention: {
      maxPerTopic: retention?.maxPerTopic ?? 1000,
      maxMegabytes: (retention?.maxBytes ?? 1_000_000_000) / 1_000_000,
      ...ageOf(retention?.maxAgeSeconds ?? 30 * 86_400),
    },
    secrets: secretsOf(options.saved),
  };
}

export const formFromView = (view: ProfileView): ProfileForm => formFromFields(view, { id: view.id, saved: view.secrets });

/**
 * A new profile: a blank form, or one filled from a preset. New profiles watch everything by
 * default, the broker's own $SYS topics too: [MQTT-4.7.2-1] `#` never matches a $-topic.
 */
export function newForm(preset?: ProfilePreset): ProfileForm {
  const fields: Partial<ProfileFields> = {
    name: 'New connection',
    host: 'localhost',
    subscriptions: [
      { filter: '#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0, userProperties: [] },
      { filter: '$SYS/#', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] },
    ],
    ...preset?.fields,
  };
  if (!fields.name) fields.name = preset?.label ?? 'New connection';
  return formFromFields(fields);
}

/** The port follows the transport's default until the person picks one. */
export function changeTransport(form: ProfileForm, transport: Transport): void {
  form.transport = transport;
  if (!form.portEdited) form.port = DEFAULT_PORTS[transport];
}

function secretUpdate(state: SecretState): SecretUpdate {
  if (state.action === 'set') return { action: 'set', value: state.value };
  if (state.action === 'clear') return { action: 'clear' };
  return { action: 'keep' };
}

const secondsOfAge = (form: ProfileForm): number =>
  Math.round(form.retention.maxAge * (form.retention.maxAgeUnit === 'days' ? 86_400 : 3600));

/** What is sent to profiles.save. */
export function toProfileInput(form: ProfileForm): ProfileInput {
  const v5 = form.protocolVersion === 5;
  const secrets: ProfileInput['secrets'] = {};
  for (const name of SECRET_NAMES) secrets[name] = secretUpdate(form.secrets[name]);
  // A key that is no longer pasted text should not leave its old PEM behind in the secret store.
  if (form.tls.key.kind !== 'pem' && form.secrets.keyPem.saved) secrets.keyPem = { action: 'clear' };
  if (!form.tls.pfxPath && form.secrets.pfxPassphrase.saved && form.secrets.pfxPassphrase.action === 'keep') {
    secrets.pfxPassphrase = { action: 'clear' };
  }

  const w = form.will;
  const input: ProfileInput = {
    name: form.name.trim(),
    protocolVersion: form.protocolVersion,
    transport: form.transport,
    host: form.host.trim(),
    port: form.port,
    path: form.path,
    clientId: form.clientId,
    clientIdSuffix: form.clientIdSuffix,
    username: form.username,
    keepalive: form.keepalive,
    clean: form.clean,
    sessionExpiryInterval: !v5 || form.expiryMode === 'end' ? 0 : form.expiryMode === 'never' ? SESSION_NEVER_EXPIRES : form.expirySeconds,
    connectTimeoutMs: Math.round(form.connectTimeoutSeconds * 1000),
    reconnect: {
      enabled: form.reconnect.enabled,
      initialDelayMs: Math.round(form.reconnect.initialDelaySeconds * 1000),
      maxDelayMs: Math.round(form.reconnect.maxDelaySeconds * 1000),
    },
    tls: {
      ca: { ...form.tls.ca },
      cert: { ...form.tls.cert },
      key: form.tls.key.kind === 'pem' ? { kind: 'pem', value: '' } : { ...form.tls.key },
      pfxPath: form.tls.pfxPath.trim(),
      rejectUnauthorized: form.tls.rejectUnauthorized,
      servername: form.tls.servername.trim(),
      alpn: form.tls.alpn
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    },
    connectProperties: {
      receiveMaximum: optionalNumber(form.connect.receiveMaximum),
      maximumPacketSize: optionalNumber(form.connect.maximumPacketSize),
      topicAliasMaximum: optionalNumber(form.connect.topicAliasMaximum),
      requestResponseInformation: fromFlag(form.connect.requestResponseInformation),
      requestProblemInformation: fromFlag(form.connect.requestProblemInformation),
      userProperties: form.connect.userProperties.map((property) => ({ ...property })),
    },
    will: form.willEnabled
      ? {
          topic: w.topic,
          payload: { ...w.payload },
          qos: w.qos,
          retain: w.retain,
          properties: {
            willDelayInterval: optionalNumber(w.delay),
            payloadFormatIndicator: fromFlag(w.payloadFormat),
            messageExpiryInterval: optionalNumber(w.expiry),
            contentType: optionalText(w.contentType),
            responseTopic: optionalText(w.responseTopic),
            correlationData: w.correlationData.value === '' ? undefined : { ...w.correlationData },
            userProperties: w.userProperties.map((property) => ({ ...property })),
          },
        }
      : null,
    subscriptions: form.subscriptions.map(subscriptionSpecOf),
    retention: {
      maxPerTopic: form.retention.maxPerTopic,
      maxBytes: Math.round(form.retention.maxMegabytes * 1_000_000),
      maxAgeSeconds: secondsOfAge(form),
    },
    secrets,
  };
  if (form.id) input.id = form.id;
  return dropUndefined(input);
}

/** Absent, not undefined: the JSON on disk and the zod schemas read more cleanly that way. */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.map(([k, v]) => [k, dropUndefined(v)])) as T;
  }
  return value;
}
