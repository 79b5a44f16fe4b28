import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../electron/common/api';
import { dispatch, validateRequest } from '../../electron/common/dispatch';
import { ApiFailure } from '../../electron/common/result';
import { fromWire, toWire } from '../../electron/common/wire';

describe('wire encoding', () => {
  it('carries bytes as tagged base64 and back, exactly', () => {
    const payload = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const back = fromWire(toWire({ message: { payload, topic: 'a' } })) as { message: { payload: Uint8Array; topic: string } };
    expect(back.message.payload).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.message.payload)).toEqual(Array.from(payload));
    expect(back.message.topic).toBe('a');
  });

  it('encodes Node Buffers as bytes too', () => {
    const text = toWire({ b: Buffer.from([1, 2, 3]) });
    expect(text).toBe('{"b":{"$bytes":"AQID"}}');
  });

  it('finds bytes at any depth, also inside arrays, and leaves everything else as JSON has it', () => {
    const deep = { batch: [1, 'x', null, [{ message: { props: { correlation: new Uint8Array([255]) } } }]] };
    expect(toWire(deep)).toBe('{"batch":[1,"x",null,[{"message":{"props":{"correlation":{"$bytes":"/w=="}}}}]]}');
    const plain = { ids: [1, 2, 3], names: ['a', 'b'], nested: [{ at: 1, none: undefined }], when: null };
    expect(toWire(plain)).toBe(JSON.stringify(plain));
    expect(fromWire(toWire(deep))).toEqual({ batch: [1, 'x', null, [{ message: { props: { correlation: new Uint8Array([255]) } } }]] });
  });
});

describe('request validation', () => {
  it('refuses unknown methods with a sentence', () => {
    const result = validateRequest('nope.nothing', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'unknown-method' });
  });

  it('refuses bad argument types and names the field', () => {
    const result = validateRequest('connection.open', { connectionId: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/connectionId/);
  });

  it('applies defaults from the schema', () => {
    const result = validateRequest('tree.search', { connectionId: 'c', query: 'x', mode: 'substring' });
    expect(result.ok && result.value.params).toMatchObject({ scope: 'topic', caseSensitive: false, limit: 5000 });
  });

  it('turns thrown errors into failed Results, never a throw', async () => {
    const handlers = {
      'app.info': () => {
        throw new ApiFailure('not-found', 'Nothing here.');
      },
      'connection.list': () => {
        throw new Error('boom');
      },
    } as unknown as ApiHandlers;
    expect(await dispatch(handlers, 'app.info', {})).toEqual({ ok: false, error: { code: 'not-found', message: 'Nothing here.' } });
    const internal = await dispatch(handlers, 'connection.list', {});
    expect(internal.ok).toBe(false);
    if (!internal.ok) expect(internal.error.code).toBe('internal');
  });
});
