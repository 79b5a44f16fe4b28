/**
 * Sparkplug B payloads as JSON text, with metric names and datatypes taken from the birth
 * certificate (NBIRTH/DBIRTH) when a DATA message carries aliases only.
 *
 * Decoding uses sparkplug-payload's protobuf schema rather than its decodePayload(): that helper
 * reads values by the metric's own datatype, and DATA metrics normally have none (Sparkplug 3.0
 * [tck-id-payloads-metric-datatype-not-req]), so it would turn their values into null. Here
 * the value is read from whichever field is set and interpreted with the birth's datatype.
 */
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { groupDigits } from '../../common/hexdump';
import { type DecoderOutput, notValid, protobufReason } from './failure';
import { toJsonText } from './json-text';
import {
  datatypeName,
  dateTimeIso,
  type IMetric,
  readValue,
  timestampFields,
  toBigInt,
  toSafeNumber,
} from './sparkplug-values';

const { Payload } = sparkplugProto.org.eclipse.tahu.protobuf;

interface BirthEntry {
  name: string;
  datatype?: number;
}

/** alias → name and datatype, from a birth payload; empty when there is none or it is unreadable. */
function aliasesOf(birth: Uint8Array | undefined): { aliases: Map<string, BirthEntry>; problem?: string } {
  const aliases = new Map<string, BirthEntry>();
  if (birth === undefined) return { aliases };
  let decoded;
  try {
    decoded = Payload.decode(birth);
  } catch (error) {
    return { aliases, problem: `the birth certificate could not be read (${protobufReason(error)})` };
  }
  for (const metric of decoded.metrics) {
    const alias = toBigInt(metric.alias);
    if (alias === undefined || !metric.name) continue;
    aliases.set(alias.toString(), { name: metric.name, datatype: metric.datatype ?? undefined });
  }
  return { aliases };
}

function hasField(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

export function decodeSparkplug(payload: Uint8Array, topic: string, birth?: Uint8Array): DecoderOutput {
  let decoded;
  try {
    decoded = Payload.decode(payload);
  } catch (error) {
    throw notValid('a valid Sparkplug B payload', protobufReason(error));
  }
  const { aliases, problem } = aliasesOf(birth);
  const unresolved: string[] = [];

  const metric = (m: IMetric): Record<string, unknown> => {
    const alias = hasField(m, 'alias') ? toBigInt(m.alias) : undefined;
    const fromBirth = alias === undefined ? undefined : aliases.get(alias.toString());
    let name = m.name || undefined;
    if (name === undefined && alias !== undefined) {
      name = fromBirth?.name;
      if (name === undefined) unresolved.push(alias.toString());
    }
    const own = hasField(m, 'datatype') && typeof m.datatype === 'number' ? m.datatype : undefined;
    const type = own ?? fromBirth?.datatype;
    const value = m.isNull ? null : readValue(m, type, metric);
    return {
      name: name ?? null,
      alias: alias === undefined ? undefined : toSafeNumber(alias),
      datatype: datatypeName(type),
      value,
      valueIso: type === 13 ? dateTimeIso(value) : undefined,
      ...(hasField(m, 'timestamp') ? timestampFields('timestamp', m.timestamp) : {}),
      isHistorical: m.isHistorical || undefined,
      isTransient: m.isTransient || undefined,
      metadata: m.metadata ? metadata(m.metadata) : undefined,
      properties: m.properties ? readValue({ propertysetValue: m.properties }, 20, metric) : undefined,
    };
  };

  const metrics = decoded.metrics.map(metric);
  const out: Record<string, unknown> = {
    messageType: topic.startsWith('spBv1.0/') ? topic.split('/')[2] : undefined,
    ...(hasField(decoded, 'timestamp') ? timestampFields('timestamp', decoded.timestamp) : {}),
    seq: hasField(decoded, 'seq') ? toSafeNumber(decoded.seq) : undefined,
    uuid: hasField(decoded, 'uuid') ? decoded.uuid : undefined,
    body: hasField(decoded, 'body') ? decoded.body : undefined,
  };
  const note = aliasNote(unresolved, birth !== undefined, problem);
  if (note !== undefined) out.note = note;
  out.metrics = metrics;
  return { decoder: 'sparkplug', language: 'json', text: toJsonText(out) };
}

function metadata(m: NonNullable<IMetric['metadata']>): Record<string, unknown> {
  return {
    isMultiPart: m.isMultiPart ?? undefined,
    contentType: m.contentType ?? undefined,
    size: m.size === null || m.size === undefined ? undefined : toSafeNumber(m.size),
    seq: m.seq === null || m.seq === undefined ? undefined : toSafeNumber(m.seq),
    fileName: m.fileName ?? undefined,
    fileType: m.fileType ?? undefined,
    md5: m.md5 ?? undefined,
    description: m.description ?? undefined,
  };
}

/** Why some metrics have no name, and how to get one. */
function aliasNote(unresolved: string[], hadBirth: boolean, problem: string | undefined): string | undefined {
  if (unresolved.length === 0) return undefined;
  const shown = unresolved.slice(0, 10).join(', ') + (unresolved.length > 10 ? ` and ${groupDigits(unresolved.length - 10)} more` : '');
  const one = unresolved.length === 1;
  const which = `${one ? 'Alias' : 'Aliases'} ${shown}`;
  if (problem !== undefined) return `${which} could not be named: ${problem}. Ask the edge node for a rebirth (Node Control/Rebirth).`;
  if (hadBirth) return `${which} ${one ? 'is' : 'are'} not in the latest birth certificate, so ${one ? 'its name is' : 'their names are'} unknown. Ask the edge node for a rebirth (Node Control/Rebirth).`;
  return `${which} could not be named: no birth certificate (NBIRTH/DBIRTH) has been received for this node since recording began. Names appear after the next birth; ask the edge node for a rebirth (Node Control/Rebirth).`;
}
