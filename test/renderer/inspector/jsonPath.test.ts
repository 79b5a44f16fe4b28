import { describe, expect, it } from 'vitest';
import { formatPath, parsePath, pointFromText } from '@renderer/components/inspector/chart/jsonPath';
import { protoMessageTypes } from '@renderer/components/inspector/protoTypes';

describe('chart paths', () => {
  it('reads the path forms people type', () => {
    expect(parsePath('$.temperature')).toEqual(['temperature']);
    expect(parsePath('temperature.value')).toEqual(['temperature', 'value']);
    expect(parsePath('$.sensors[2].t')).toEqual(['sensors', 2, 't']);
    expect(parsePath("$['odd key'].x")).toEqual(['odd key', 'x']);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('$')).toEqual([]);
  });

  it('explains a path it cannot read', () => {
    const result = parsePath('$.a[');
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(/not understood/);
  });

  it('writes clicked paths back in a form it reads', () => {
    const segments = ['sensors', 0, 'odd key', "it's"];
    expect(formatPath(segments)).toBe("$.sensors[0]['odd key']['it\\'s']");
    expect(parsePath(formatPath(segments))).toEqual(segments);
  });

  it('takes numbers from plain and JSON payloads', () => {
    expect(pointFromText('21.5', [])).toBe(21.5);
    expect(pointFromText(' 7 ', [])).toBe(7);
    expect(pointFromText('{"t":{"v":"3.25"}}', ['t', 'v'])).toBe(3.25);
    expect(pointFromText('{"on":true}', ['on'])).toBe(1);
    expect(pointFromText('{"t":"warm"}', ['t'])).toBeNull();
    expect(pointFromText('not json', ['t'])).toBeNull();
  });
});

describe('.proto message types', () => {
  it('lists top-level and nested messages with the package', () => {
    const source = `
      syntax = "proto3";
      package plant.v1; // the package
      /* message Ignored {} */
      message Reading { double t = 1; message Meta { string by = 1; } Meta meta = 2; }
      enum Unit { C = 0; }
      message Batch { repeated Reading readings = 1; }
    `;
    expect(protoMessageTypes(source)).toEqual(['plant.v1.Reading', 'plant.v1.Reading.Meta', 'plant.v1.Batch']);
  });
});
