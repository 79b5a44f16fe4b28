import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { hexdump } from '../../../electron/common/hexdump';
import { decodePayload } from '../../../electron/core/decode';

const SOURCE = `syntax = "proto3";
package factory.v1;

import "google/protobuf/timestamp.proto";

message Reading {
  enum Quality { UNKNOWN = 0; GOOD = 1; BAD = 2; }
  int64 counter = 1;
  bytes raw = 2;
  uint64 total = 3;
  Quality quality = 4;
  string sensor_id = 5;
  double value = 6;
  google.protobuf.Timestamp at = 7;
  repeated sint64 history = 8;
  int32 unset = 9;
}
`;

const Reading = protobuf.parse(SOURCE, { keepCase: true }).root;
// The test encodes with its own parse of the same text; the well-known import is resolved the same way.
Reading.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')?.nested ?? {});
const type = Reading.lookupType('factory.v1.Reading');
const payload = type
  .encode(
    type.fromObject({
      counter: '9007199254740993',
      raw: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      total: '18446744073709551615',
      quality: 'BAD',
      sensor_id: 'T-101',
      value: 21.5,
      at: { seconds: 1700000000, nanos: 5 },
      history: ['-9223372036854775808', '1'],
    }),
  )
  .finish();

const decode = (bytes: Uint8Array, source: string, messageType: string) =>
  decodePayload(bytes, { decoder: 'protobuf', topic: 'factory/line1', proto: { source, messageType } });

describe('protobuf', () => {
  it('decodes with the given .proto: 64-bit as exact strings, bytes as base64, enums by name, defaults shown', () => {
    const result = decode(payload, SOURCE, 'factory.v1.Reading');
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ decoder: 'protobuf', language: 'json' });
    expect(JSON.parse(result.text)).toEqual({
      counter: '9007199254740993',
      raw: '3q2+7w==',
      total: '18446744073709551615',
      quality: 'BAD',
      sensor_id: 'T-101',
      value: 21.5,
      at: { seconds: '1700000000', nanos: 5 },
      history: ['-9223372036854775808', '1'],
      unset: 0,
    });
  });

  it('finds a message type by its short name when only one has it', () => {
    expect(decode(payload, SOURCE, 'Reading').error).toBeUndefined();
    expect(decode(payload, SOURCE, '.factory.v1.Reading').error).toBeUndefined();
  });

  it('explains a syntax error with its line', () => {
    const broken = 'syntax = "proto3";\nmessage A {\n  int32 a = 1\n}\n';
    const result = decode(payload, broken, 'A');
    expect(result).toMatchObject({ decoder: 'hex', language: 'hexdump', text: hexdump(payload) });
    expect(result.error).toBe(
      "The .proto definition has a syntax error on line 4: illegal token '}', ';' expected. Correct the .proto text and decode again. Showing the payload as hex.",
    );
  });

  it('lists the message types it has when the wanted one is unknown', () => {
    const result = decode(payload, SOURCE, 'factory.v1.Missing');
    expect(result.decoder).toBe('hex');
    expect(result.error).toBe(
      "The .proto definition has no message type 'factory.v1.Missing' (it defines factory.v1.Reading). Choose one of its message types. Showing the payload as hex.",
    );
  });

  it('says which type is missing when the definition refers to one it does not define', () => {
    const result = decode(payload, 'syntax = "proto3";\nmessage A { Missing m = 1; }', 'A');
    expect(result.error).toMatch(/^The \.proto definition refers to a type it does not define \(.*'Missing'.*\)\. Paste the missing messages/);
  });

  it('reports bytes that do not fit the message type', () => {
    const result = decode(new Uint8Array([0x0a, 0x10, 0x01]), SOURCE, 'factory.v1.Reading');
    expect(result.decoder).toBe('hex');
    expect(result.error).toMatch(
      /^This payload is not a valid 'factory\.v1\.Reading' protobuf message: .+; check that this message type is the one the publisher sends\. Showing it as hex\.$/,
    );
  });

  it('asks for a definition when none is set', () => {
    const result = decodePayload(payload, { decoder: 'protobuf', topic: 't', proto: { source: '  ', messageType: 'A' } });
    expect(result.error).toMatch(/^No \.proto definition is set for this topic/);
  });
});
