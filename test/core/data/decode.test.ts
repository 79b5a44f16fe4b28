// messages.decode: the message is fetched from the store and, for Sparkplug B, decoded with the
// birth certificate that was in force when it arrived.
import sparkplug from 'sparkplug-payload';
import { afterEach, describe, expect, it } from 'vitest';
import type { Recorder } from '../../../electron/core/data';
import { call, cleanUp, RETENTION, startDataPart, tempDataDir } from './helpers';

afterEach(cleanUp);

const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload lacks spBv1.0');

const birthNaming = (name: string): Uint8Array =>
  codec.encodePayload({ timestamp: 1, seq: 0, metrics: [{ name, alias: 1, type: 'Int32', value: 1 }] });
const dataByAlias = (value: number): Uint8Array => codec.encodePayload({ timestamp: 2, seq: 1, metrics: [{ alias: 1, type: 'Int32', value }] });

function record(recorder: Recorder, topic: string, payload: Uint8Array): number {
  recorder.record({ topic, payload, qos: 0, retain: false, dup: false, properties: {}, time: Date.now() }, () => undefined);
  return recorder.tree.find(topic)?.lastId ?? -1;
}

describe('messages.decode', () => {
  it('decodes Sparkplug DATA with the latest birth of its edge node or device received before it', async () => {
    const h = startDataPart(tempDataDir());
    const recorder = h.part.recording.recorder('sp', RETENTION) as Recorder;
    record(recorder, 'spBv1.0/plant/NBIRTH/edge1', birthNaming('Pressure'));
    const early = record(recorder, 'spBv1.0/plant/NDATA/edge1', dataByAlias(7));
    // Written to disk in between: the lookup spans the store and the queue.
    await recorder.flush();
    record(recorder, 'spBv1.0/plant/NBIRTH/edge1', birthNaming('Counter'));
    const late = record(recorder, 'spBv1.0/plant/NDATA/edge1', dataByAlias(8));
    record(recorder, 'spBv1.0/plant/DBIRTH/edge1/pump', birthNaming('Speed'));
    const device = record(recorder, 'spBv1.0/plant/DDATA/edge1/pump', dataByAlias(9));

    const decoded = async (id: number): Promise<string> => {
      const result = await call(h.part, 'messages.decode', { connectionId: 'sp', id, decoder: 'sparkplug' });
      expect(result.error).toBeUndefined();
      return result.text;
    };
    expect(await decoded(early)).toContain('"Pressure"');
    expect(await decoded(late)).toContain('"Counter"');
    expect(await decoded(late)).not.toContain('"Pressure"');
    expect(await decoded(device)).toContain('"Speed"');
  });

  it('decodes other payloads by the chosen decoder', async () => {
    const h = startDataPart(tempDataDir());
    const recorder = h.part.recording.recorder('txt', RETENTION) as Recorder;
    const id = record(recorder, 'a/json', new TextEncoder().encode('{"b":1}'));
    const result = await call(h.part, 'messages.decode', { connectionId: 'txt', id, decoder: 'json' });
    expect(result).toMatchObject({ decoder: 'json', language: 'json', size: 7 });
    expect(result.text).toContain('"b"');
  });
});
