/**
 * Sparkplug B values as exact, readable JSON values: 64-bit integers as decimal strings (a
 * double would round them), signed types with their sign restored from the unsigned protobuf
 * fields, DateTime also as ISO, and the 3.0 array types unpacked from their bytes.
 */
import type { org } from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { isoOrUndefined } from './json-text';

type Proto = typeof org.eclipse.tahu.protobuf;
type IDataSet = org.eclipse.tahu.protobuf.Payload.IDataSet;
type IDataSetValue = org.eclipse.tahu.protobuf.Payload.DataSet.IDataSetValue;
type IPropertyValue = org.eclipse.tahu.protobuf.Payload.IPropertyValue;
type IPropertySet = org.eclipse.tahu.protobuf.Payload.IPropertySet;
type ITemplate = org.eclipse.tahu.protobuf.Payload.ITemplate;
export type IMetric = org.eclipse.tahu.protobuf.Payload.IMetric;
export type { Proto };

// Sparkplug B specification 3.0, §6.4.16 (DataType enum)
export const DATATYPE_NAMES = [
  'Unknown', 'Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float', 'Double',
  'Boolean', 'String', 'DateTime', 'Text', 'UUID', 'DataSet', 'Bytes', 'File', 'Template', 'PropertySet',
  'PropertySetList', 'Int8Array', 'Int16Array', 'Int32Array', 'Int64Array', 'UInt8Array', 'UInt16Array',
  'UInt32Array', 'UInt64Array', 'FloatArray', 'DoubleArray', 'BooleanArray', 'StringArray', 'DateTimeArray',
] as const;

export function datatypeName(type: number | null | undefined): string | undefined {
  if (type === null || type === undefined) return undefined;
  return DATATYPE_NAMES[type] ?? `Unknown (${type})`;
}

const SIGNED_BITS: Record<number, number> = { 1: 8, 2: 16, 3: 32, 4: 64 };
const DATETIME = 13;

/** A protobufjs uint64 (Long or number) as the exact unsigned bigint it carries. */
export function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value !== null && typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }
  return undefined;
}

/** Counters and timestamps: a number when exact, else the decimal string. */
export function toSafeNumber(value: unknown): number | string | undefined {
  const big = toBigInt(value);
  if (big === undefined) return undefined;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

/** A millisecond timestamp as `{ key, keyIso }` fields. */
export function timestampFields(key: string, value: unknown): Record<string, unknown> {
  const ms = toSafeNumber(value);
  if (ms === undefined) return {};
  return { [key]: ms, [`${key}Iso`]: typeof ms === 'number' ? isoOrUndefined(ms) : undefined };
}

function integer(value: unknown, type: number | undefined, wide: boolean): number | string | undefined {
  const raw = toBigInt(value);
  if (raw === undefined) return undefined;
  const bits = type === undefined ? undefined : SIGNED_BITS[type];
  const exact = bits === undefined ? BigInt.asUintN(64, raw) : BigInt.asIntN(bits, raw);
  // 64-bit fields stay strings even when small, so one metric's value never changes type.
  return wide ? exact.toString() : Number(exact);
}

interface OneOf {
  intValue?: number | null;
  longValue?: unknown;
  floatValue?: number | null;
  doubleValue?: number | null;
  booleanValue?: boolean | null;
  stringValue?: string | null;
  bytesValue?: Uint8Array | null;
  datasetValue?: IDataSet | null;
  templateValue?: ITemplate | null;
  propertysetValue?: IPropertySet | null;
  propertysetsValue?: { propertyset?: IPropertySet[] | null } | null;
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** The value of whichever oneof field is set, read as `type` says. */
export function readValue(source: OneOf, type: number | undefined, metrics: (m: IMetric) => unknown): unknown {
  if (has(source, 'intValue')) return integer(source.intValue, type, false);
  if (has(source, 'longValue')) {
    const wide = type === undefined || type === 4 || type === 8 || type === DATETIME;
    return integer(source.longValue, type, wide);
  }
  if (has(source, 'floatValue')) return source.floatValue;
  if (has(source, 'doubleValue')) return source.doubleValue;
  if (has(source, 'booleanValue')) return source.booleanValue;
  if (has(source, 'stringValue')) return source.stringValue;
  if (has(source, 'bytesValue') && source.bytesValue) return unpackArray(source.bytesValue, type);
  if (has(source, 'datasetValue') && source.datasetValue) return dataSet(source.datasetValue, metrics);
  if (has(source, 'templateValue') && source.templateValue) return template(source.templateValue, metrics);
  if (has(source, 'propertysetValue') && source.propertysetValue) return propertySet(source.propertysetValue, metrics);
  if (has(source, 'propertysetsValue') && source.propertysetsValue) {
    return (source.propertysetsValue.propertyset ?? []).map((set) => propertySet(set, metrics));
  }
  return null;
}

/** ISO text for a DateTime value (milliseconds since the epoch). */
export function dateTimeIso(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? isoOrUndefined(Number(value)) : undefined;
}

function dataSet(set: IDataSet, metrics: (m: IMetric) => unknown): unknown {
  const types = set.types ?? [];
  return {
    numOfColumns: toSafeNumber(set.numOfColumns),
    columns: set.columns ?? [],
    types: types.map((t) => datatypeName(t)),
    rows: (set.rows ?? []).map((row) =>
      (row.elements ?? []).map((element: IDataSetValue, column) => readValue(element as OneOf, types[column], metrics)),
    ),
  };
}

function template(value: ITemplate, metrics: (m: IMetric) => unknown): unknown {
  return {
    version: value.version ?? undefined,
    templateRef: value.templateRef ?? undefined,
    isDefinition: value.isDefinition ?? undefined,
    metrics: (value.metrics ?? []).map(metrics),
    parameters: (value.parameters ?? []).map((p) => ({
      name: p.name ?? undefined,
      type: datatypeName(p.type),
      value: readValue(p as OneOf, p.type ?? undefined, metrics),
    })),
  };
}

function propertySet(set: IPropertySet, metrics: (m: IMetric) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = set.values ?? [];
  (set.keys ?? []).forEach((key, i) => {
    const property: IPropertyValue | undefined = values[i];
    if (property === undefined) return;
    const type = property.type ?? undefined;
    const value = property.isNull ? null : readValue(property as OneOf, type, metrics);
    Object.defineProperty(out, key, { value: { type: datatypeName(type), value }, enumerable: true });
  });
  return out;
}

/** The 3.0 array types, packed little-endian into bytes_value (§6.4.17); other bytes as bytes. */
function unpackArray(bytes: Uint8Array, type: number | undefined): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (size: number, get: (at: number) => unknown): unknown[] | Uint8Array => {
    if (bytes.length % size !== 0) return bytes;
    return Array.from({ length: bytes.length / size }, (_, i) => get(i * size));
  };
  switch (type) {
    case 22: return read(1, (at) => view.getInt8(at));
    case 23: return read(2, (at) => view.getInt16(at, true));
    case 24: return read(4, (at) => view.getInt32(at, true));
    case 25: return read(8, (at) => view.getBigInt64(at, true).toString());
    case 26: return read(1, (at) => view.getUint8(at));
    case 27: return read(2, (at) => view.getUint16(at, true));
    case 28: return read(4, (at) => view.getUint32(at, true));
    case 29: return read(8, (at) => view.getBigUint64(at, true).toString());
    case 30: return read(4, (at) => view.getFloat32(at, true));
    case 31: return read(8, (at) => view.getFloat64(at, true));
    case 34: return read(8, (at) => view.getBigInt64(at, true).toString());
    case 32: {
      // A 4-byte count of booleans, then the bits, most significant first.
      if (bytes.length < 4) return bytes;
      const count = view.getUint32(0, true);
      if (4 + Math.ceil(count / 8) > bytes.length) return bytes;
      return Array.from({ length: count }, (_, i) => (((bytes[4 + (i >> 3)] as number) >> (7 - (i & 7))) & 1) === 1);
    }
    case 33: {
      // Null-terminated UTF-8 strings.
      const text = new TextDecoder().decode(bytes);
      const parts = text.split('\0');
      if (parts.at(-1) === '') parts.pop();
      return parts;
    }
    default:
      return bytes;
  }
}
