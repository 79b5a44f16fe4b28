// messages.get / messages.latest with maxPayloadBytes and messages.decode with maxChars: a viewer
// of a huge message receives only what it shows, is told so, and can still ask for everything.
import { afterEach, describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../../electron/common/wire';
import type { MessageRecord } from '../../../electron/common/model';
import type { Recorder } from '../../../electron/core/data';
import { call, cleanUp, RETENTION, startDataPart, tempDataDir } from './helpers';

afterEach(cleanUp);

const MB = 1024 * 1024;

/** 3 MB of JSON with varied bytes, so a shifted or repeated slice cannot pass for the original. */
function bigJson(): Uint8Array {
  const items: string[] = [];
  let length = 2;
  for (let i = 0; length < 3 * MB; i++) {
    const item = `{"i":${i},"v":"${(i * 2654435761).toString(36)}"}`;
    items.push(item);
    length += item.length + 1;
  }
  return new TextEncoder().encode(`[${items.join(',')}]`);
}

async function withBigMessage(): Promise<{ h: ReturnType<typeof startDataPart>; id: number; payload: Uint8Array }> {
  const h = startDataPart(tempDataDir());
  const recorder = h.part.recording.recorder('big', RETENTION) as Recorder;
  const payload = bigJson();
  recorder.record({ topic: 'dump/json', payload, qos: 0, retain: false, dup: false, properties: {}, time: Date.now() }, () => undefined);
  await recorder.flush();
  const id = recorder.tree.find('dump/json')?.lastId ?? -1;
  return { h, id, payload };
}

/** What the renderer receives over the web host's JSON-RPC. */
const overTheWire = <T>(value: T): T => fromWire(toWire(value)) as T;

describe('payload caps', () => {
  it('messages.get and messages.latest send only the first maxPayloadBytes and say the payload was cut', async () => {
    const { h, id, payload } = await withBigMessage();
    const cap = 64 * 1024;
    const got = overTheWire(await call(h.part, 'messages.get', { connectionId: 'big', id, maxPayloadBytes: cap }));
    expect(got.payload.length).toBe(cap);
    expect(Array.from(got.payload)).toEqual(Array.from(payload.subarray(0, cap)));
    expect(got).toMatchObject({ payloadTruncated: true, payloadSize: payload.length });
    const latest = overTheWire(await call(h.part, 'messages.latest', { connectionId: 'big', topic: 'dump/json', maxPayloadBytes: cap })) as MessageRecord;
    expect(latest.payload.length).toBe(cap);
    expect(latest).toMatchObject({ id, payloadTruncated: true, payloadSize: payload.length });
  });

  it('a cap above the payload size leaves the record whole and unmarked', async () => {
    const { h, id, payload } = await withBigMessage();
    const got = await call(h.part, 'messages.get', { connectionId: 'big', id, maxPayloadBytes: 4 * MB });
    expect(got.payload.length).toBe(payload.length);
    expect(got.payloadTruncated).toBeUndefined();
    expect(got.payloadSize).toBeUndefined();
  });

  it('without caps the payload and the decoded text arrive whole, byte for byte', async () => {
    const { h, id, payload } = await withBigMessage();
    const got = overTheWire(await call(h.part, 'messages.get', { connectionId: 'big', id }));
    expect(got.payloadTruncated).toBeUndefined();
    expect(Buffer.from(got.payload).equals(Buffer.from(payload))).toBe(true);
    const decoded = overTheWire(await call(h.part, 'messages.decode', { connectionId: 'big', id, decoder: 'text' }));
    expect(decoded.truncated).toBeUndefined();
    expect(decoded.text).toBe(new TextDecoder().decode(payload));
  });

  it('messages.decode with maxChars sends the head of the text and its whole length', async () => {
    const { h, id, payload } = await withBigMessage();
    const whole = await call(h.part, 'messages.decode', { connectionId: 'big', id, decoder: 'json' });
    const cut = await call(h.part, 'messages.decode', { connectionId: 'big', id, decoder: 'json', maxChars: 100_000 });
    expect(cut.text.length).toBe(100_000);
    expect(whole.text.startsWith(cut.text)).toBe(true);
    expect(cut).toMatchObject({ decoder: 'json', truncated: true, textLength: whole.text.length, size: payload.length });
  });

  it('maxChars does not split a surrogate pair', async () => {
    const h = startDataPart(tempDataDir());
    const recorder = h.part.recording.recorder('emoji', RETENTION) as Recorder;
    recorder.record({ topic: 'e', payload: new TextEncoder().encode('a😀b'), qos: 0, retain: false, dup: false, properties: {}, time: Date.now() }, () => undefined);
    const id = recorder.tree.find('e')?.lastId ?? -1;
    const cut = await call(h.part, 'messages.decode', { connectionId: 'emoji', id, decoder: 'text', maxChars: 2 });
    expect(cut).toMatchObject({ text: 'a', truncated: true, textLength: 4 });
  });
});
