/**
 * Live checks of the profile form, one sentence per field. Keys are form paths ("port",
 * "subscriptions.2.filter"); the editor shows each under its field and marks the section.
 * The zod schema runs last as a safety net for anything these rules do not word themselves.
 */
import { MAX_UINT32, profileInput, type BytesInput, type UserProperty } from '@common/model';
import { topicFilterProblem, topicNameProblem } from '@common/topic';
import { toProfileInput, type ProfileForm, type SubscriptionForm } from './profileForm';

export type Problems = Record<string, string>;

export interface FormCheck {
  errors: Problems;
  warnings: Problems;
}

export type SectionId = 'general' | 'auth' | 'tls' | 'mqtt5' | 'will' | 'subscriptions' | 'retention';

const isWhole = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;
const inRange = (value: number, min: number, max: number): boolean => Number.isFinite(value) && value >= min && value <= max;
const fmt = (value: number): string => value.toLocaleString('en-US');
/** "-" and 6 hex digits (electron/core/connection/session-info.ts). */
const CLIENT_ID_SUFFIX_LENGTH = 7;

function wholeProblem(value: number, min: number, max: number, what: string): string | undefined {
  if (Number.isNaN(value)) return `Enter ${what}.`;
  return isWhole(value, min, max) ? undefined : `${capital(what)} must be a whole number from ${fmt(min)} to ${fmt(max)}.`;
}
/** Same as wholeProblem, but an empty (NaN) value means "not set" and is fine. */
function optionalWholeProblem(value: number, min: number, max: number, what: string): string | undefined {
  return Number.isNaN(value) ? undefined : wholeProblem(value, min, max, what);
}
const capital = (text: string): string => text.replace(/^(a|an|the) /, '').replace(/^./, (c) => c.toUpperCase());

/** A sentence when typed bytes are not valid in their format. */
export function bytesProblem(input: BytesInput, what: string): string | undefined {
  const compact = input.value.replace(/\s+/g, '');
  if (input.format === 'hex') {
    if (!/^[0-9a-fA-F]*$/.test(compact)) return `The ${what} is not hex: use only 0-9 and a-f (spaces are fine).`;
    if (compact.length % 2 !== 0) return `The ${what} has an odd number of hex digits; every byte needs two.`;
  }
  if (input.format === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    return `The ${what} is not valid base64.`;
  }
  return undefined;
}

function userPropertyProblems(list: UserProperty[], key: string, errors: Problems): void {
  list.forEach((property, index) => {
    if (property.name === '' && property.value !== '') errors[`${key}.${index}.name`] = 'Give this user property a name.';
  });
}

function placeholderProblem(text: string): string | undefined {
  const match = /\{[^}]+\}/.exec(text);
  return match ? `Replace ${match[0]} with your own value.` : undefined;
}

/** Checks one subscription; used by the profile editor and the live Subscriptions panel. */
export function subscriptionProblems(sub: SubscriptionForm, v5: boolean, prefix = ''): Problems {
  const errors: Problems = {};
  const filterProblem = topicFilterProblem(sub.filter) ?? placeholderProblem(sub.filter);
  if (filterProblem) errors[`${prefix}filter`] = filterProblem;
  if (v5) {
    // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error.
    if (sub.noLocal && sub.filter.startsWith('$share/')) errors[`${prefix}noLocal`] = 'No Local cannot be used with a $share subscription; the broker would close the connection.';
    const id = optionalWholeProblem(sub.subscriptionIdentifier, 1, 268_435_455, 'the subscription identifier');
    if (id) errors[`${prefix}subscriptionIdentifier`] = id;
    userPropertyProblems(sub.userProperties, `${prefix}userProperties`, errors);
  }
  return errors;
}

function checkGeneral(form: ProfileForm, errors: Problems, warnings: Problems): void {
  if (!form.name.trim()) errors.name = 'Give the connection a name.';
  const host = form.host.trim();
  if (!host) errors.host = "Enter the broker's host name or IP address.";
  else if (/^[a-z]+:\/\//i.test(host)) errors.host = 'Enter the host without a scheme like mqtt:// — choose the transport instead.';
  else if (/\s/.test(host)) errors.host = 'A host name cannot contain spaces.';
  else if (/^[^:]+:\d+$/.test(host)) errors.host = 'Enter the port in the Port field, not after the host.';
  else if (host.includes('/')) errors.host = 'A host name has no path; for WebSockets, enter the path in its own field.';
  else {
    const placeholder = placeholderProblem(host);
    if (placeholder) errors.host = placeholder;
  }
  const port = wholeProblem(form.port, 1, 65535, 'a port');
  if (port) errors.port = port;
  if ((form.transport === 'ws' || form.transport === 'wss') && !form.path.startsWith('/')) {
    errors.path = 'The WebSocket path starts with /, for example /mqtt.';
  }
  // The engine adds "-" and 6 hex digits per launch, only to a typed id and only while starting clean.
  const suffixed = form.clientIdSuffix && form.clean && form.clientId !== '';
  const clientPlaceholder = placeholderProblem(form.clientId);
  if (clientPlaceholder) errors.clientId = clientPlaceholder;
  else if (form.protocolVersion === 3 && form.clientId.length + (suffixed ? CLIENT_ID_SUFFIX_LENGTH : 0) > 23) {
    warnings.clientId = suffixed
      ? `MQTT 3.1 brokers may refuse client ids longer than 23 characters; with the ${CLIENT_ID_SUFFIX_LENGTH}-character per-launch suffix this one has ${form.clientId.length + CLIENT_ID_SUFFIX_LENGTH}. Shorten it to ${23 - CLIENT_ID_SUFFIX_LENGTH} characters, or turn the suffix off.`
      : 'MQTT 3.1 brokers may refuse client ids longer than 23 characters.';
  }
  // An empty id with the session kept is not sent empty: the engine derives one from the profile.
  if (!form.clean && form.clientIdSuffix) {
    warnings.clientIdSuffix = `The per-launch suffix is not used while ${form.protocolVersion === 5 ? 'Clean start' : 'Clean session'} is off: a persistent session needs the same client id every time.`;
  }
  const keepalive = wholeProblem(form.keepalive, 0, 65535, 'a keep alive');
  if (keepalive) errors.keepalive = keepalive;
  if (form.protocolVersion === 5 && form.expiryMode === 'seconds') {
    const expiry = wholeProblem(form.expirySeconds, 1, MAX_UINT32 - 1, 'the session expiry');
    if (expiry) errors.expirySeconds = expiry;
  }
  if (!inRange(form.connectTimeoutSeconds, 1, 300)) errors.connectTimeoutSeconds = 'The connect timeout must be from 1 to 300 seconds.';
  if (form.reconnect.enabled) {
    const { initialDelaySeconds: initial, maxDelaySeconds: max } = form.reconnect;
    if (!inRange(initial, 0.1, 600)) errors['reconnect.initialDelaySeconds'] = 'The first retry delay must be from 0.1 to 600 seconds.';
    if (!inRange(max, 0.1, 3600)) errors['reconnect.maxDelaySeconds'] = 'The longest retry delay must be from 0.1 to 3600 seconds.';
    else if (inRange(initial, 0.1, 600) && max < initial) errors['reconnect.maxDelaySeconds'] = 'The longest delay cannot be shorter than the first one.';
  }
}

function checkAuth(form: ProfileForm, errors: Problems): void {
  const placeholder = placeholderProblem(form.username);
  if (placeholder) errors.username = placeholder;
  const password = form.secrets.password;
  const hasPassword = password.action === 'set' || (password.saved && password.action === 'keep');
  // [MQTT-3.1.2-22] 3.1.1 forbids a password without a user name; MQTT 5 allows it.
  if (form.protocolVersion !== 5 && hasPassword && !form.username) {
    errors.username = 'MQTT 3.1.1 sends a password only with a user name: enter one, or clear the password.';
  }
}

function checkTls(form: ProfileForm, errors: Problems, warnings: Problems): void {
  const tls = form.tls;
  const sources = [
    ['ca', 'CA certificate'],
    ['cert', 'client certificate'],
    ['key', 'private key'],
  ] as const;
  for (const [key, what] of sources) {
    const source = tls[key];
    if (source.kind === 'file' && !source.value.trim()) errors[`tls.${key}`] = `Enter the path of the ${what} file, or choose None.`;
    if (source.kind === 'pem' && key !== 'key' && source.value.trim() && !source.value.includes('-----BEGIN')) {
      errors[`tls.${key}`] = `This does not look like PEM: it should start with -----BEGIN.`;
    }
    if (source.kind === 'pem' && key !== 'key' && !source.value.trim()) errors[`tls.${key}`] = `Paste the ${what} in PEM form, or choose None.`;
  }
  const keySecret = form.secrets.keyPem;
  if (tls.key.kind === 'pem') {
    const hasKey = keySecret.action === 'set' ? keySecret.value.trim() !== '' : keySecret.saved && keySecret.action === 'keep';
    if (!hasKey) errors['tls.key'] = 'Paste the private key in PEM form, or choose None.';
    else if (keySecret.action === 'set' && !keySecret.value.includes('-----BEGIN')) errors['tls.key'] = 'This does not look like PEM: it should start with -----BEGIN.';
  }
  if ((tls.cert.kind === 'none') !== (tls.key.kind === 'none')) {
    errors[tls.cert.kind === 'none' ? 'tls.cert' : 'tls.key'] = 'A client certificate and its private key go together: set both or neither.';
  }
  if (tls.pfxPath && tls.cert.kind !== 'none') warnings.pfxPath = 'Both a PKCS#12 file and a certificate are set; the PKCS#12 file usually holds both already.';
  if (tls.servername && !/^[A-Za-z0-9.-]+$/.test(tls.servername)) errors.servername = 'The server name is a host name: letters, digits, dots and hyphens.';
  if (tls.alpn.split(',').some((name) => /\s/.test(name.trim()))) errors.alpn = 'Separate ALPN protocol names with commas; a name has no spaces.';
}

function checkMqtt5(form: ProfileForm, errors: Problems, warnings: Problems): void {
  const c = form.connect;
  const receive = optionalWholeProblem(c.receiveMaximum, 1, 65535, 'the receive maximum');
  if (receive) errors['connect.receiveMaximum'] = receive;
  const packet = optionalWholeProblem(c.maximumPacketSize, 1, MAX_UINT32, 'the maximum packet size');
  if (packet) errors['connect.maximumPacketSize'] = packet;
  else if (!Number.isNaN(c.maximumPacketSize)) {
    // [MQTT-3.1.2-25] the broker must not send bigger packets: it drops them without telling anyone.
    warnings['connect.maximumPacketSize'] = `The broker silently drops messages bigger than ${fmt(c.maximumPacketSize)} bytes for this client; you will not see them.`;
  }
  const alias = optionalWholeProblem(c.topicAliasMaximum, 0, 65535, 'the topic alias maximum');
  if (alias) errors['connect.topicAliasMaximum'] = alias;
  userPropertyProblems(c.userProperties, 'connect.userProperties', errors);
}

function checkWill(form: ProfileForm, errors: Problems): void {
  if (!form.willEnabled) return;
  const w = form.will;
  const topic = topicNameProblem(w.topic);
  if (topic) errors['will.topic'] = topic.replace('Enter a topic, or set a topic alias (MQTT 5) to publish without one.', 'Enter the topic the broker publishes the will to.');
  const payload = bytesProblem(w.payload, 'will payload');
  if (payload) errors['will.payload'] = payload;
  if (form.protocolVersion !== 5) return;
  const delay = optionalWholeProblem(w.delay, 0, MAX_UINT32, 'the will delay');
  if (delay) errors['will.delay'] = delay;
  const expiry = optionalWholeProblem(w.expiry, 0, MAX_UINT32, 'the message expiry');
  if (expiry) errors['will.expiry'] = expiry;
  if (w.responseTopic) {
    const response = topicNameProblem(w.responseTopic);
    if (response) errors['will.responseTopic'] = response;
  }
  const correlation = bytesProblem(w.correlationData, 'correlation data');
  if (correlation) errors['will.correlationData'] = correlation;
  userPropertyProblems(w.userProperties, 'will.userProperties', errors);
}

function checkRetention(form: ProfileForm, errors: Problems): void {
  const r = form.retention;
  const perTopic = wholeProblem(r.maxPerTopic, 1, 10_000_000, 'the number of messages per topic');
  if (perTopic) errors['retention.maxPerTopic'] = perTopic;
  if (!inRange(r.maxMegabytes, 1, 1_000_000)) errors['retention.maxMegabytes'] = 'The store size must be from 1 MB to 1,000,000 MB (1 TB).';
  if (!inRange(r.maxAge, 0, r.maxAgeUnit === 'days' ? 49_000 : 1_190_000)) errors['retention.maxAge'] = 'Enter how long to keep messages; 0 keeps them until the size limits apply.';
}

/** Where a problem's key lives, so the editor can mark the section that needs attention. */
export function sectionOf(key: string): SectionId {
  if (key.startsWith('tls.') || key === 'pfxPath' || key === 'servername' || key === 'alpn') return 'tls';
  if (key.startsWith('connect.')) return 'mqtt5';
  if (key.startsWith('will.')) return 'will';
  if (key.startsWith('subscriptions.')) return 'subscriptions';
  if (key.startsWith('retention.')) return 'retention';
  if (key === 'username' || key.startsWith('secrets.')) return 'auth';
  return 'general';
}

/** Form keys for the schema's paths where they differ; anything else lands on the form as a whole. */
function formKeyOf(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  if (key.startsWith('connectProperties.')) return key.replace('connectProperties.', 'connect.');
  if (key === 'connectTimeoutMs') return 'connectTimeoutSeconds';
  if (key === 'sessionExpiryInterval') return 'expirySeconds';
  if (key.startsWith('reconnect.')) return key.replace(/Ms$/, 'Seconds');
  return key || 'form';
}

export function checkProfile(form: ProfileForm): FormCheck {
  const errors: Problems = {};
  const warnings: Problems = {};
  checkGeneral(form, errors, warnings);
  checkAuth(form, errors);
  checkTls(form, errors, warnings);
  if (form.protocolVersion === 5) checkMqtt5(form, errors, warnings);
  checkWill(form, errors);
  form.subscriptions.forEach((sub, index) => Object.assign(errors, subscriptionProblems(sub, form.protocolVersion === 5, `subscriptions.${index}.`)));
  checkRetention(form, errors);
  if (Object.keys(errors).length === 0) {
    const parsed = profileInput.safeParse(toProfileInput(form));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = formKeyOf(issue.path);
        errors[key] ??= `This value is not accepted: ${issue.message}.`;
      }
    }
  }
  return { errors, warnings };
}
