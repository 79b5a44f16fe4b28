import sparkplug from 'sparkplug-payload';
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../../electron/core/decode';

const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload lacks spBv1.0');
const { Payload } = sparkplugProto.org.eclipse.tahu.protobuf;

const NODE = 'spBv1.0/plant/NBIRTH/edge1';
const DATA = 'spBv1.0/plant/NDATA/edge1';
const T0 = 1700000000000;

/** The edge node's birth: every metric with name, alias and datatype (64-bit values as strings, as protobufjs takes them). */
const birth = codec.encodePayload({
  timestamp: T0,
  seq: 0,
  metrics: [
    { name: 'bdSeq', type: 'UInt64', value: 0 },
    { name: 'Counter', alias: 1, type: 'Int64', value: '9007199254740993', timestamp: T0 },
    { name: 'Offset', alias: 2, type: 'Int8', value: -5 },
    { name: 'Total', alias: 3, type: 'UInt64', value: '18446744073709551615' },
    { name: 'Started', alias: 4, type: 'DateTime', value: T0 },
    { name: 'Label', alias: 5, type: 'String', value: 'pump' },
  ],
});

type Decoded = {
  messageType?: string;
  timestamp?: number;
  timestampIso?: string;
  seq?: number;
  note?: string;
  metrics: Array<Record<string, unknown>>;
};

function decode(payload: Uint8Array, topic: string, birthPayload?: Uint8Array): Decoded {
  const result = decodePayload(payload, { decoder: 'sparkplug', topic, birth: birthPayload });
  expect(result.error).toBeUndefined();
  expect(result).toMatchObject({ decoder: 'sparkplug', language: 'json' });
  return JSON.parse(result.text) as Decoded;
}

describe('Sparkplug B', () => {
  it('decodes a birth with names, aliases, datatypes, exact 64-bit values and ISO timestamps', () => {
    const decoded = decode(birth, NODE);
    expect(decoded).toMatchObject({ messageType: 'NBIRTH', timestamp: T0, timestampIso: '2023-11-14T22:13:20.000Z', seq: 0 });
    expect(decoded.metrics).toEqual([
      { name: 'bdSeq', datatype: 'UInt64', value: '0' },
      { name: 'Counter', alias: 1, datatype: 'Int64', value: '9007199254740993', timestamp: T0, timestampIso: '2023-11-14T22:13:20.000Z' },
      { name: 'Offset', alias: 2, datatype: 'Int8', value: -5 },
      { name: 'Total', alias: 3, datatype: 'UInt64', value: '18446744073709551615' },
      { name: 'Started', alias: 4, datatype: 'DateTime', value: String(T0), valueIso: '2023-11-14T22:13:20.000Z' },
      { name: 'Label', alias: 5, datatype: 'String', value: 'pump' },
    ]);
  });

  it('names the metrics of a DATA message that carries aliases only, from the birth', () => {
    const data = codec.encodePayload({
      timestamp: T0 + 1000,
      seq: 1,
      metrics: [
        { alias: 1, type: 'Int64', value: '-9007199254740993' },
        { alias: 5, type: 'String', value: 'valve' },
      ],
    });
    const decoded = decode(data, DATA, birth);
    expect(decoded.note).toBeUndefined();
    expect(decoded.metrics).toEqual([
      { name: 'Counter', alias: 1, datatype: 'Int64', value: '-9007199254740993' },
      { name: 'Label', alias: 5, datatype: 'String', value: 'valve' },
    ]);
  });

  it('takes the datatype from the birth when DATA metrics omit it, as the specification advises', () => {
    // sparkplug-payload's own encoder insists on a type, so this is built with its protobuf schema.
    const data = Payload.encode({
      timestamp: T0 + 2000,
      seq: 2,
      metrics: [
        { alias: 1, longValue: '9007199254740993' },
        { alias: 2, intValue: 0xfffffffb }, // -5 as the uint32 field holds it
        { alias: 3, longValue: '18446744073709551615' },
        { alias: 5, isNull: true },
      ],
    }).finish();
    const decoded = decode(data, DATA, birth);
    expect(decoded.metrics).toEqual([
      { name: 'Counter', alias: 1, datatype: 'Int64', value: '9007199254740993' },
      { name: 'Offset', alias: 2, datatype: 'Int8', value: -5 },
      { name: 'Total', alias: 3, datatype: 'UInt64', value: '18446744073709551615' },
      { name: 'Label', alias: 5, datatype: 'String', value: null },
    ]);
  });

  it('says why names are missing when no birth has been seen, and how to get one', () => {
    const data = Payload.encode({ seq: 3, metrics: [{ alias: 1, longValue: 42 }, { alias: 2, intValue: 1 }] }).finish();
    const decoded = decode(data, DATA);
    expect(decoded.metrics.map((m) => m.name)).toEqual([null, null]);
    expect(decoded.metrics[0]?.value).toBe('42');
    expect(decoded.note).toMatch(/^Aliases 1, 2 could not be named: no birth certificate .* rebirth \(Node Control\/Rebirth\)\.$/);
  });

  it('points out aliases the birth does not know', () => {
    const data = Payload.encode({ metrics: [{ alias: 99, intValue: 1 }] }).finish();
    expect(decode(data, DATA, birth).note).toMatch(/^Alias 99 is not in the latest birth certificate, so its name is unknown\./);
  });

  it('decodes data sets, property sets, templates and 3.0 arrays', () => {
    const payload = codec.encodePayload({
      metrics: [
        { name: 'Table', type: 'DataSet', value: { numOfColumns: 2, columns: ['id', 'label'], types: ['Int64', 'String'], rows: [['9007199254740993', 'a'], ['2', 'b']] } },
        { name: 'Temp', type: 'Float', value: 21.5, properties: { engUnit: { type: 'String', value: '°C' } } },
        {
          name: 'Motor',
          type: 'Template',
          value: { templateRef: 'MotorType', isDefinition: false, metrics: [{ name: 'rpm', type: 'Int32', value: -1200 }], parameters: [{ name: 'model', type: 'String', value: 'X1' }] },
        },
      ],
    });
    const arrays = Payload.encode({
      metrics: [
        { name: 'Int16s', datatype: 23, bytesValue: new Uint8Array([0xff, 0xff, 0x02, 0x00]) },
        { name: 'Bools', datatype: 32, bytesValue: new Uint8Array([3, 0, 0, 0, 0b1010_0000]) },
        { name: 'Strings', datatype: 33, bytesValue: new TextEncoder().encode('ab\0cd\0') },
        { name: 'Blob', datatype: 17, bytesValue: new Uint8Array([0xca, 0xfe]) },
      ],
    }).finish();
    const [table, temp, motor] = decode(payload, 'spBv1.0/plant/DBIRTH/edge1/dev').metrics;
    expect(table?.value).toEqual({ numOfColumns: 2, columns: ['id', 'label'], types: ['Int64', 'String'], rows: [['9007199254740993', 'a'], ['2', 'b']] });
    expect(temp).toMatchObject({ value: 21.5, properties: { engUnit: { type: 'String', value: '°C' } } });
    expect(motor?.value).toMatchObject({
      templateRef: 'MotorType',
      metrics: [{ name: 'rpm', datatype: 'Int32', value: -1200 }],
      parameters: [{ name: 'model', type: 'String', value: 'X1' }],
    });
    expect(decode(arrays, DATA).metrics.map((m) => m.value)).toEqual([[-1, 2], [true, false, true], ['ab', 'cd'], { $hex: 'cafe' }]);
  });

  it('is what auto picks on a Sparkplug topic', () => {
    const result = decodePayload(birth, { decoder: 'auto', topic: NODE });
    expect(result.decoder).toBe('sparkplug');
    expect(result.text).toContain('"value": "18446744073709551615"');
  });

  it('ignores a birth it cannot read, and says so', () => {
    const data = Payload.encode({ metrics: [{ alias: 1, longValue: 1 }] }).finish();
    expect(decode(data, DATA, new Uint8Array([0x12, 0x09])).note).toMatch(/^Alias 1 could not be named: the birth certificate could not be read \(it ends in the middle of a field/);
  });
});
