import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, apiMethods } from '../../electron/common/api';
import { fromWire } from '../../electron/common/wire';
import type { Result } from '../../electron/common/result';
import { connectClient, openSocket, startTestHost, type RpcClient, type TestHost } from './helpers';

const ERROR_CODES = new Set(['invalid-argument', 'unknown-method', 'not-found', 'not-connected', 'connection-failed', 'protocol', 'refused-by-broker', 'storage', 'io', 'unauthorized', 'internal']);

/** A reply is either `result: Result` or a JSON-RPC `error` with a numeric code and a message. */
function expectWellFormed(reply: Record<string, unknown>, id: unknown): void {
  expect(reply.jsonrpc).toBe('2.0');
  expect(reply.id).toEqual(id);
  if ('error' in reply) {
    const error = reply.error as { code: unknown; message: unknown };
    expect(typeof error.code).toBe('number');
    expect(typeof error.message).toBe('string');
    return;
  }
  const result = reply.result as Result<unknown>;
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(ERROR_CODES.has(result.error.code)).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe('JSON-RPC over the web host', () => {
  let t: TestHost;
  let client: RpcClient;
  const echoed: unknown[] = [];
  beforeAll(async () => {
    // `test.echo` is the one addition: it shows how the host encodes bytes the engine returns.
    t = await startTestHost({
      maxMessageBytes: 1024 * 1024,
      wrap: (engine) => ({
        onDidEmit: (listener) => engine.onDidEmit(listener),
        call: async (method, params) => {
          if (method !== 'test.echo') return engine.call(method, params);
          echoed.push(params);
          return { ok: true, value: params };
        },
      }),
    });
    client = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

  it('answers a call with the Result as the JSON-RPC result', async () => {
    const reply = await client.request('app.info', {});
    expect(reply.id).toBe(1);
    const result = reply.result as Result<{ host: string; dataDir: string; version: string }>;
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.host).toBe('web');
      expect(result.value.dataDir).toBe(t.dataDir);
      expect(result.value.version).toBe('0.0.0-test');
    }
  });

  it('refuses an unknown method with -32601 carrying the unknown-method error', async () => {
    const reply = await client.request('no.such.method', {});
    const error = reply.error as { code: number; message: string; data: { code: string } };
    expect(error.code).toBe(-32601);
    expect(error.data.code).toBe('unknown-method');
    expect(error.message).toContain('no.such.method');
  });

  it('answers wrong argument types with an invalid-argument Result', async () => {
    const reply = await client.request('app.info', { unexpected: 1 });
    const result = reply.result as Result<unknown>;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-argument');
    const long = await client.request('tree.find', { connectionId: 'x'.repeat(101), topic: 'a' });
    expect((long.result as Result<unknown>).ok).toBe(false);
    if (!(long.result as { ok: boolean }).ok) expect((long.result as { error: { code: string } }).error.code).toBe('invalid-argument');
  });

  it('answers malformed JSON with -32700 and keeps the socket open', async () => {
    const reply = (await client.raw('{"jsonrpc": "2.0", "id": 1, "method": ')) as Record<string, unknown>;
    expect(reply.id).toBeNull();
    expect((reply.error as { code: number }).code).toBe(-32700);
    expect(((await client.request('app.info', {})).result as Result<unknown>).ok).toBe(true);
  });

  it('answers a malformed envelope with -32600', async () => {
    for (const text of ['42', '"hello"', '{"id": 7, "method": "app.info"}', '{"jsonrpc": "2.0", "id": 8}', '{"jsonrpc": "2.0", "id": {"a": 1}, "method": "app.info"}', '[]']) {
      const reply = (await client.raw(text)) as Record<string, unknown>;
      expect((reply.error as { code: number }).code, text).toBe(-32600);
    }
  });

  it('answers a batch with an array and sends nothing for notifications', async () => {
    const reply = await client.raw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'app.info', params: {} },
        { jsonrpc: '2.0', method: 'app.info', params: {} },
        { jsonrpc: '2.0', id: 'b', method: 'nope' },
      ]),
    );
    expect(Array.isArray(reply)).toBe(true);
    const [first, second] = reply as Record<string, unknown>[];
    expect(first?.id).toBe('a');
    expect(second?.id).toBe('b');
    expect((reply as unknown[]).length).toBe(2);
  });

  it('carries bytes both ways as {"$bytes": base64}', async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const text = await new Promise<string>((resolve) => {
      client.ws.once('message', (data) => resolve(String(data)));
      client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'test.echo', params: { payload: { $bytes: 'AAEC/f7/' } } }));
    });
    const received = echoed.at(-1) as { payload: unknown };
    expect(received.payload).toBeInstanceOf(Uint8Array);
    expect([...(received.payload as Uint8Array)]).toEqual([...bytes]);
    expect(JSON.parse(text)).toEqual({ jsonrpc: '2.0', id: 99, result: { ok: true, value: { payload: { $bytes: 'AAEC/f7/' } } } });
  });

  it('passes $bytes params through validation as a Uint8Array', async () => {
    const reply = await client.request('publish.send', {
      connectionId: 'missing',
      message: { topic: 'a/b', qos: 0, payload: { format: 'bytes', value: new Uint8Array([1, 2, 3]) } },
    });
    const result = reply.result as Result<unknown>;
    expect(result.ok).toBe(false);
    // Validation accepted the bytes; what fails is the missing connection (or an unfinished part).
    if (!result.ok) expect(result.error.code).not.toBe('invalid-argument');
  });

  it('survives garbage params for every method and answers each with a well-formed refusal or Result', async () => {
    const garbage: unknown[] = [
      null,
      0,
      -1.5,
      'text',
      [],
      [1, 2, 3],
      { connectionId: 42 },
      { connectionId: 'x'.repeat(200_000) },
      { id: { $bytes: 'AAAA' } },
      { scope: null, key: { deep: { deeper: [[[[[]]]]] } } },
      { nodeId: -1, connectionId: '' },
      { topic: 'y'.repeat(300_000), connectionId: 'c' },
      { message: { payload: { format: 'text', value: 5 } }, connectionId: 'c' },
      JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
    ];
    let id = 1000;
    let refused = 0;
    for (const method of METHOD_NAMES) {
      for (const params of garbage) {
        // What validation accepts is not garbage for this method (e.g. null for a method with only defaults).
        if (apiMethods[method].params.safeParse(fromWire(JSON.stringify(params ?? {}))).success) continue;
        id++;
        const reply = (await client.raw(JSON.stringify({ jsonrpc: '2.0', id, method, params }))) as Record<string, unknown>;
        expectWellFormed(reply, id);
        const result = reply.result as Result<unknown>;
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid-argument');
          expect(result.error.message).toContain(method);
        }
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(METHOD_NAMES.length * 8);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(((await client.request('app.info', {})).result as Result<unknown>).ok).toBe(true);
  });

  it('closes a socket that sends a message over the size cap, and keeps serving others', async () => {
    const big = await connectClient(`${t.rpcUrl}?token=${t.host.token}`);
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
    big.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'profiles.import', params: { json: 'z'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    expect(((await client.request('app.info', {})).result as Result<unknown>).ok).toBe(true);
  });

  it('still refuses a new socket with a wrong token while others are open', async () => {
    await expect(openSocket(`${t.rpcUrl}?token=wrong`)).rejects.toThrow('HTTP 401');
  });
});
