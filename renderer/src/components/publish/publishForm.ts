/**
 * The publish form as the person fills it in, and its translation into a PublishRequest with a
 * problem per field. The checks are common/payload.ts and common/publish-rules.ts, the same the
 * engine runs, so what the form accepts the engine accepts.
 */
import type { PayloadSource, PublishRequest, PublishRequestInput } from '@common/api';
import type { PublishProperties, QoS, UserProperty } from '@common/model';
import { bytesToHex, decodeHex, encodePayload, encodeUtf8, expandTemplate, hasPlaceholders, isValidUtf8, templateContext } from '@common/payload';
import { checkPublish, type PublishField, type SessionLimits } from '@common/publish-rules';
import { MAX_UINT32 } from '@common/model';

export type PayloadFormat = PayloadSource['format'];

export interface PublishForm {
  topic: string;
  format: PayloadFormat;
  /** Editor text for text, JSON, hex and base64. */
  text: string;
  /** The file chosen for the bytes format. */
  file: { name: string; bytes: Uint8Array<ArrayBuffer> } | null;
  qos: QoS;
  retain: boolean;
  /** 'unset' sends no indicator; 'utf8' sends 1; 'bytes' sends 0. */
  formatIndicator: 'unset' | 'utf8' | 'bytes';
  /** Seconds as typed; '' = no expiry. */
  expiry: string;
  contentType: string;
  responseTopic: string;
  correlation: { format: 'text' | 'hex'; value: string };
  userProperties: UserProperty[];
  aliasMode: 'none' | 'manual' | 'auto';
  /** As typed; used when aliasMode is manual. */
  alias: string;
}

export function emptyForm(): PublishForm {
  return {
    topic: '',
    format: 'json',
    text: '',
    file: null,
    qos: 0,
    retain: false,
    formatIndicator: 'unset',
    expiry: '',
    contentType: '',
    responseTopic: '',
    correlation: { format: 'text', value: '' },
    userProperties: [],
    aliasMode: 'none',
    alias: '',
  };
}

export type FormField = PublishField | 'file';

export interface FormProblem {
  field: FormField;
  message: string;
  index?: number;
  line?: number;
  column?: number;
}

export interface FormCheck {
  /** Present when the form can be sent as it is. */
  request?: PublishRequestInput;
  problems: FormProblem[];
  /** Bytes of the encoded payload (undefined while the payload cannot be encoded). */
  payloadSize?: number;
  packetSize?: number;
  /** True when topic or payload hold {{...}} placeholders (expanded only by Repeat). */
  placeholders: boolean;
}

function payloadSource(form: PublishForm): PayloadSource | undefined {
  if (form.format === 'bytes') return form.file ? { format: 'bytes', value: form.file.bytes } : undefined;
  return { format: form.format, value: form.text };
}

function parseUint(text: string, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= max ? value : undefined;
}

/** The MQTT 5 properties the form sets, or a problem per field that cannot become one. */
function properties(form: PublishForm, problems: FormProblem[]): PublishProperties {
  const out: PublishProperties = {};
  if (form.formatIndicator !== 'unset') out.payloadFormatIndicator = form.formatIndicator === 'utf8';
  if (form.expiry.trim() !== '') {
    const seconds = parseUint(form.expiry, MAX_UINT32);
    if (seconds === undefined) problems.push({ field: 'messageExpiryInterval', message: 'The message expiry interval must be a whole number of seconds, from 0 to 4,294,967,295.' });
    else out.messageExpiryInterval = seconds;
  }
  if (form.contentType !== '') out.contentType = form.contentType;
  if (form.responseTopic !== '') out.responseTopic = form.responseTopic;
  if (form.correlation.value !== '') {
    if (form.correlation.format === 'text') out.correlationData = encodeUtf8(form.correlation.value);
    else {
      const decoded = decodeHex(form.correlation.value, 'correlation data');
      if (decoded.ok) out.correlationData = decoded.bytes;
      else problems.push({ field: 'correlationData', message: decoded.problem.message });
    }
  }
  if (form.userProperties.length > 0) out.userProperties = form.userProperties.map(({ name, value }) => ({ name, value }));
  if (form.aliasMode === 'manual') {
    const alias = parseUint(form.alias, 65535);
    if (alias === undefined) problems.push({ field: 'topicAlias', message: 'The topic alias must be a whole number from 1 to 65,535.' });
    else out.topicAlias = alias;
  }
  return out;
}

/**
 * Checks the form against the session (undefined limits: not connected, nothing to check
 * against but the topic and payload). Below MQTT 5 the properties are left out entirely.
 * With `expand`, placeholders are filled in as the first send of a repeat would.
 */
export function checkForm(form: PublishForm, limits: SessionLimits | undefined, options: { expand?: boolean } = {}): FormCheck {
  const problems: FormProblem[] = [];
  const v5 = (limits?.protocolVersion ?? 5) === 5;
  const placeholders = hasPlaceholders(form.topic) || (form.format !== 'bytes' && hasPlaceholders(form.text));

  let topic = form.topic;
  let source = payloadSource(form);
  if (options.expand && placeholders) {
    const ctx = templateContext(1);
    const t = expandTemplate(topic, ctx);
    if (t.ok) topic = t.text;
    else problems.push({ field: 'topic', message: t.problem });
    if (source && source.format !== 'bytes') {
      const p = expandTemplate(source.value, ctx);
      if (p.ok) source = { format: source.format, value: p.text };
      else problems.push({ field: 'payload', message: p.problem });
    }
  }

  const props = v5 ? properties(form, problems) : {};
  const autoTopicAlias = v5 && form.aliasMode === 'auto';
  let bytes: Uint8Array | undefined;
  if (source === undefined) {
    problems.push({ field: 'file', message: 'Choose a file to send its bytes as the payload.' });
  } else {
    const encoded = encodePayload(source);
    if (encoded.ok) bytes = encoded.bytes;
    else {
      const note = placeholders && !options.expand ? ' Placeholders such as {{counter}} are filled in only by Repeat; Publish sends the text as written.' : '';
      problems.push({ field: 'payload', message: encoded.problem.message + note, ...pick(encoded.problem) });
    }
  }

  // The other fields are checked even while the payload cannot be encoded; only the size waits for it.
  const check = checkPublish(
    { topic, payload: bytes ?? new Uint8Array(0), qos: form.qos, retain: form.retain, properties: props, autoTopicAlias },
    limits ?? { protocolVersion: 5 },
  );
  const packetSize = bytes === undefined ? undefined : check.packetSize;
  for (const problem of check.problems) {
    if (bytes === undefined && (problem.field === 'packet' || problem.field === 'payload')) continue;
    if (!problems.some((p) => p.field === problem.field)) problems.push(problem);
  }
  if (problems.length > 0 || source === undefined) return { problems, placeholders, ...(bytes ? { payloadSize: bytes.length, packetSize } : {}) };
  const request: PublishRequestInput = { topic: form.topic, payload: payloadSource(form) as PayloadSource, qos: form.qos, retain: form.retain, properties: props, autoTopicAlias };
  return { request, problems, placeholders, payloadSize: bytes?.length, packetSize };
}

function pick(problem: { line?: number; column?: number }): { line?: number; column?: number } {
  return problem.line === undefined ? {} : { line: problem.line, ...(problem.column === undefined ? {} : { column: problem.column }) };
}

/** The first problem of a field, for a TgField's error. */
export function problemOf(check: FormCheck, field: FormField): string | undefined {
  return check.problems.find((p) => p.field === field)?.message;
}

const decoder = new TextDecoder();

/** A stored request (history, saved message) back into the form, so it can be edited and sent. */
export function formFromRequest(request: PublishRequest | PublishRequestInput, fileName = 'payload.bin'): PublishForm {
  const form = emptyForm();
  form.topic = request.topic;
  form.qos = request.qos;
  form.retain = request.retain ?? false;
  if (request.payload.format === 'bytes') {
    form.format = 'bytes';
    form.file = { name: fileName, bytes: request.payload.value };
  } else {
    form.format = request.payload.format;
    form.text = request.payload.value;
  }
  const p = request.properties ?? {};
  if (p.payloadFormatIndicator !== undefined) form.formatIndicator = p.payloadFormatIndicator ? 'utf8' : 'bytes';
  if (p.messageExpiryInterval !== undefined) form.expiry = String(p.messageExpiryInterval);
  form.contentType = p.contentType ?? '';
  form.responseTopic = p.responseTopic ?? '';
  if (p.correlationData !== undefined) {
    // Show correlation data as text only when it is text a person could have typed.
    const printable = isValidUtf8(p.correlationData) && !/[\u0000-\u001f\u007f]/.test(decoder.decode(p.correlationData));
    form.correlation = printable ? { format: 'text', value: decoder.decode(p.correlationData) } : { format: 'hex', value: bytesToHex(p.correlationData) };
  }
  form.userProperties = (p.userProperties ?? []).map(({ name, value }) => ({ name, value }));
  if (request.autoTopicAlias) form.aliasMode = 'auto';
  else if (p.topicAlias !== undefined) {
    form.aliasMode = 'manual';
    form.alias = String(p.topicAlias);
  }
  return form;
}
