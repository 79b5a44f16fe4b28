import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePayload } from '../../../electron/core/decode';
import { DecodeThread, THREAD_THRESHOLD } from '../../../electron/core/decode/decode-thread';

/** A JSON document of about `bytes` bytes. */
function bigJson(bytes: number): Uint8Array {
  const rows = Array.from({ length: Math.ceil(bytes / 60) }, (_, i) => ({ id: i, name: `sensor-${i}`, value: i * 0.5, ok: i % 2 === 0 }));
  return new TextEncoder().encode(JSON.stringify({ rows }));
}

/** The result without its timing, which differs run to run. */
const sameParts = ({ ms: _ms, ...rest }: { ms: number }): object => rest;

describe('DecodeThread', () => {
  let thread: DecodeThread;
  afterEach(async () => {
    await thread.close();
  });

  it('decodes a large JSON in another thread exactly as inline does', async () => {
    thread = new DecodeThread();
    const payload = bigJson(THREAD_THRESHOLD + 100_000);
    const options = { decoder: 'auto', topic: 'plant/line1' } as const;
    const traced = await thread.decodeTraced(payload, options);
    expect(traced.threadId).not.toBe(threadId);
    expect(sameParts(traced.decoded)).toEqual(sameParts(decodePayload(payload, options)));
    expect(traced.decoded.language).toBe('json');
    // The caller's bytes were copied before the transfer, never detached.
    expect(payload.byteLength).toBeGreaterThan(THREAD_THRESHOLD);
  });

  it('keeps small payloads on the calling thread', async () => {
    thread = new DecodeThread();
    const traced = await thread.decodeTraced(new TextEncoder().encode('{"a":1}'), { decoder: 'json', topic: 't' });
    expect(traced.threadId).toBe(threadId);
    expect(traced.decoded.text).toContain('"a": 1');
  });

  it('reports a failure in the thread with the same sentence as inline', async () => {
    thread = new DecodeThread();
    const payload = new Uint8Array(THREAD_THRESHOLD + 1).fill(0x08);
    const options = { decoder: 'protobuf', topic: 't', proto: { source: 'syntax = "proto3";\nmessage A {\n  int32 a = 1\n}\n', messageType: 'A' } } as const;
    const traced = await thread.decodeTraced(payload, options);
    expect(traced.threadId).not.toBe(threadId);
    expect(traced.decoded.error).toMatch(/^The \.proto definition has a syntax error on line 4/);
    expect(sameParts(traced.decoded)).toEqual(sameParts(decodePayload(payload, options)));
  });

  it('leaves the event loop free during a 5 MB decode', async () => {
    thread = new DecodeThread();
    const payload = bigJson(5 * 1024 * 1024);
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    const decoded = await thread.decode(payload, { decoder: 'json', topic: 't' });
    // Inline, the decode would run to completion before any setImmediate callback could.
    expect(ticked).toBe(true);
    expect(decoded.language).toBe('json');
  });

  it('passes the Sparkplug birth along with the payload', async () => {
    thread = new DecodeThread(0);
    const birth = new Uint8Array([1, 2, 3]);
    const options = { decoder: 'hex', topic: 't', birth } as const;
    const traced = await thread.decodeTraced(new Uint8Array([0xca, 0xfe]), options);
    expect(traced.threadId).not.toBe(threadId);
    expect(birth).toEqual(new Uint8Array([1, 2, 3]));
    expect(sameParts(traced.decoded)).toEqual(sameParts(decodePayload(new Uint8Array([0xca, 0xfe]), options)));
  });

  it('ends the thread on close and starts a new one when needed again', async () => {
    thread = new DecodeThread(0);
    const first = await thread.decodeTraced(new Uint8Array([1]), { decoder: 'hex', topic: 't' });
    await thread.close();
    const second = await thread.decodeTraced(new Uint8Array([1]), { decoder: 'hex', topic: 't' });
    expect(second.threadId).not.toBe(threadId);
    expect(second.threadId).not.toBe(first.threadId);
  });
});

describe('DecodeThread text cap', () => {
  it('cuts the text in the thread exactly as inline, saying how long it was', async () => {
    const thread = new DecodeThread();
    try {
      const payload = bigJson(THREAD_THRESHOLD + 100_000);
      const options = { decoder: 'json', topic: 't' } as const;
      const full = decodePayload(payload, options);
      const inThread = await thread.decodeTraced(payload, options, 1000);
      const inline = await new DecodeThread(Infinity).decodeTraced(payload, options, 1000);
      expect(inThread.threadId).not.toBe(inline.threadId);
      expect(sameParts(inThread.decoded)).toEqual(sameParts(inline.decoded));
      expect(inThread.decoded).toMatchObject({ text: full.text.slice(0, 1000), truncated: true, textLength: full.text.length });
    } finally {
      await thread.close();
    }
  });
});
