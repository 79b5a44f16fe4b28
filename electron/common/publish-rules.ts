/**
 * What a PUBLISH may carry on one session, checked before anything is sent: topic rules, the
 * limits the broker granted in CONNACK, MQTT 5 properties only on MQTT 5, and the exact size of
 * the packet. Pure, so the form shows the same problems the engine refuses with.
 */
import type { PublishProperties, QoS } from './model';
import { firstInvalidUtf8 } from './payload';
import type { ConnackInfo } from './session';
import { topicNameProblem, utf8Length } from './topic';

export type PublishField =
  | 'topic'
  | 'payload'
  | 'qos'
  | 'retain'
  | 'payloadFormatIndicator'
  | 'messageExpiryInterval'
  | 'contentType'
  | 'responseTopic'
  | 'correlationData'
  | 'userProperties'
  | 'topicAlias'
  | 'packet';

export interface PublishProblem {
  field: PublishField;
  /** A sentence with the cause and the way out. */
  message: string;
  /** For user properties: which entry. */
  index?: number;
}

export interface SessionLimits {
  protocolVersion: 3 | 4 | 5;
  /** What the broker granted; undefined before the first CONNACK (nothing to check against yet). */
  connack?: ConnackInfo | undefined;
}

export interface PublishDraft {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties: PublishProperties;
  autoTopicAlias?: boolean;
}

export interface PublishCheck {
  problems: PublishProblem[];
  /** Bytes of the PUBLISH packet (with an automatic alias: its first, longest form). */
  packetSize: number;
}

/** [MQTT-1.5.5] a Remaining Length is at most 268,435,455, so no packet exceeds this. */
export const MAX_PACKET_BYTES = 268_435_460;

/** Bytes of a Variable Byte Integer (§1.5.5). */
export function varintSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

/** Bytes of the property section's content (without its own length prefix). */
export function publishPropertiesSize(properties: PublishProperties): number {
  let size = 0;
  if (properties.payloadFormatIndicator !== undefined) size += 1 + 1;
  if (properties.messageExpiryInterval !== undefined) size += 1 + 4;
  if (properties.contentType !== undefined) size += 1 + 2 + utf8Length(properties.contentType);
  if (properties.responseTopic !== undefined) size += 1 + 2 + utf8Length(properties.responseTopic);
  if (properties.correlationData !== undefined) size += 1 + 2 + properties.correlationData.length;
  for (const { name, value } of properties.userProperties ?? []) size += 1 + 2 + utf8Length(name) + 2 + utf8Length(value);
  if (properties.topicAlias !== undefined) size += 1 + 2;
  return size;
}

export interface PacketShape {
  topic: string;
  qos: QoS;
  /** Ignored below MQTT 5, where PUBLISH has no property section. */
  properties?: PublishProperties;
  payloadLength: number;
  protocolVersion: 3 | 4 | 5;
}

/**
 * The exact size of a PUBLISH on the wire (§3.3): fixed header byte, Remaining Length varint,
 * topic (2-byte length + UTF-8), packet id for QoS > 0, property length varint + properties (v5), payload.
 */
export function publishPacketSize(shape: PacketShape): number {
  let remaining = 2 + utf8Length(shape.topic) + (shape.qos > 0 ? 2 : 0) + shape.payloadLength;
  if (shape.protocolVersion === 5) {
    const props = publishPropertiesSize(shape.properties ?? {});
    remaining += varintSize(props) + props;
  }
  return 1 + varintSize(remaining) + remaining;
}

const V5_FIELDS: Record<Exclude<keyof PublishProperties, 'userProperties'>, PublishField> = {
  payloadFormatIndicator: 'payloadFormatIndicator',
  messageExpiryInterval: 'messageExpiryInterval',
  contentType: 'contentType',
  responseTopic: 'responseTopic',
  correlationData: 'correlationData',
  topicAlias: 'topicAlias',
};

/** The properties a draft actually sets (an empty user property list sets nothing). */
export function setProperties(properties: PublishProperties): PublishField[] {
  const fields: PublishField[] = [];
  for (const [key, field] of Object.entries(V5_FIELDS) as [keyof typeof V5_FIELDS, PublishField][]) {
    if (properties[key] !== undefined) fields.push(field);
  }
  if ((properties.userProperties?.length ?? 0) > 0) fields.push('userProperties');
  return fields;
}

function mqttStringProblem(text: string, what: string): string | undefined {
  if (text.includes('\u0000')) return `The ${what} contains a null character (U+0000), which MQTT forbids.`;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    return `The ${what} contains an unpaired surrogate character, which is not valid UTF-8.`;
  }
  const bytes = utf8Length(text);
  if (bytes > 65535) return `The ${what} is ${bytes.toLocaleString('en-US')} bytes long; MQTT allows at most 65,535 bytes.`;
  return undefined;
}

const VERSION_NAME = { 3: 'MQTT 3.1', 4: 'MQTT 3.1.1', 5: 'MQTT 5' } as const;

function propertyProblems(draft: PublishDraft, limits: SessionLimits, out: PublishProblem[]): void {
  const p = draft.properties;
  if (p.contentType !== undefined) {
    const problem = mqttStringProblem(p.contentType, 'content type');
    if (problem) out.push({ field: 'contentType', message: problem });
  }
  if (p.responseTopic !== undefined) {
    const problem =
      p.responseTopic === ''
        ? 'The response topic is empty; enter a topic name or clear the field.'
        : topicNameProblem(p.responseTopic)?.replace(/^The topic|^A topic name/, (m) => (m === 'The topic' ? 'The response topic' : 'A response topic'));
    if (problem) out.push({ field: 'responseTopic', message: problem });
  }
  if (p.correlationData !== undefined && p.correlationData.length > 65535) {
    out.push({
      field: 'correlationData',
      message: `The correlation data is ${p.correlationData.length.toLocaleString('en-US')} bytes long; MQTT allows at most 65,535 bytes.`,
    });
  }
  (p.userProperties ?? []).forEach(({ name, value }, index) => {
    const problem = mqttStringProblem(name, `name of user property ${index + 1}`) ?? mqttStringProblem(value, `value of user property ${index + 1}`);
    if (problem) out.push({ field: 'userProperties', index, message: problem });
  });
  if (p.payloadFormatIndicator === true) {
    const at = firstInvalidUtf8(draft.payload);
    if (at >= 0) {
      out.push({
        field: 'payload',
        message: `The payload is not valid UTF-8 (byte ${at.toLocaleString('en-US')} breaks it), but the payload format indicator says it is. Turn the indicator off, or send UTF-8 text.`,
      });
    }
  }
  if (p.topicAlias !== undefined) {
    const max = limits.connack?.topicAliasMaximum ?? 0;
    if (draft.autoTopicAlias === true) {
      out.push({ field: 'topicAlias', message: 'Choose either a topic alias of your own or automatic assignment, not both.' });
    } else if (limits.connack !== undefined && max === 0) {
      out.push({ field: 'topicAlias', message: 'The broker accepts no topic aliases (its Topic Alias Maximum is 0); remove the alias.' });
    } else if (limits.connack !== undefined && (p.topicAlias < 1 || p.topicAlias > max)) {
      // [MQTT-3.3.2-8] / [MQTT-3.3.2-9]: 0 is forbidden, and no alias above the broker's maximum.
      out.push({ field: 'topicAlias', message: `The topic alias must be between 1 and ${max}, the broker's Topic Alias Maximum.` });
    } else if (p.topicAlias < 1) {
      out.push({ field: 'topicAlias', message: 'The topic alias must be 1 or more; 0 is not allowed.' });
    }
  }
}

/**
 * Every reason this draft cannot be sent on this session. `knownAlias` (the engine passes it)
 * tells whether an alias already stands for a topic on the current network connection.
 */
export function checkPublish(draft: PublishDraft, limits: SessionLimits, knownAlias?: (alias: number) => boolean): PublishCheck {
  const problems: PublishProblem[] = [];
  const v5 = limits.protocolVersion === 5;
  const connack = limits.connack;
  const alias = v5 ? draft.properties.topicAlias : undefined;

  if (draft.topic === '' && v5 && draft.autoTopicAlias === true && alias === undefined) {
    problems.push({ field: 'topic', message: 'The topic is empty. Enter a topic; automatic topic aliases are assigned to topics you name.' });
  } else {
    const topicProblem = topicNameProblem(draft.topic, { allowEmpty: alias !== undefined });
    if (topicProblem) problems.push({ field: 'topic', message: topicProblem });
    else if (draft.topic === '' && alias !== undefined && knownAlias && !knownAlias(alias)) {
      problems.push({
        field: 'topic',
        message: `Topic alias ${alias} does not stand for a topic on this connection yet; publish once with the topic and alias ${alias} before leaving the topic empty.`,
      });
    }
  }

  const maximumQoS = connack?.maximumQoS ?? 2;
  if (draft.qos > maximumQoS) {
    problems.push({
      field: 'qos',
      message: `The broker allows at most QoS ${maximumQoS} (Maximum QoS in its CONNACK); choose QoS ${maximumQoS === 0 ? '0' : `0 or ${maximumQoS}`}.`,
    });
  }
  if (draft.retain && connack?.retainAvailable === false) {
    problems.push({ field: 'retain', message: 'The broker does not keep retained messages (Retain Available is 0 in its CONNACK); turn off retain.' });
  }

  if (v5) {
    propertyProblems(draft, limits, problems);
  } else {
    for (const field of setProperties(draft.properties)) {
      problems.push({
        field,
        message: `${VERSION_NAME[limits.protocolVersion]} has no PUBLISH properties, so this one cannot be sent; clear it, or connect with MQTT 5.`,
      });
    }
  }

  // An automatic alias goes out with the full topic the first time: count that, the longest form.
  const sized: PublishProperties = v5 && draft.autoTopicAlias === true && alias === undefined ? { ...draft.properties, topicAlias: 1 } : draft.properties;
  const packetSize = publishPacketSize({
    topic: draft.topic,
    qos: draft.qos,
    properties: sized,
    payloadLength: draft.payload.length,
    protocolVersion: limits.protocolVersion,
  });
  const max = connack?.maximumPacketSize;
  if (packetSize > MAX_PACKET_BYTES) {
    problems.push({
      field: 'packet',
      message: `The PUBLISH packet would be ${packetSize.toLocaleString('en-US')} bytes; MQTT allows at most ${MAX_PACKET_BYTES.toLocaleString('en-US')} bytes. Send a smaller payload.`,
    });
  } else if (max !== undefined && packetSize > max) {
    problems.push({
      field: 'packet',
      message: `The PUBLISH packet would be ${packetSize.toLocaleString('en-US')} bytes, but the broker accepts at most ${max.toLocaleString('en-US')} bytes (Maximum Packet Size in its CONNACK). Shorten the payload, the topic or the properties.`,
    });
  }
  return { problems, packetSize };
}

/** All problems as one paragraph, for an error a person reads in one place. */
export function describeProblems(problems: readonly PublishProblem[]): string {
  return problems.map((problem) => problem.message).join(' ');
}
