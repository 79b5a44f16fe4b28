// The protocol log reuses its ring slots and keeps PUBLISH payload heads in one shared slab: an
// entry must still read back as its own packet after the ring has wrapped around.
import { describe, expect, it } from 'vitest';
import { ProtocolLog } from '../../../electron/core/connection/protocol-log';

const publish = (topic: string, payload: string | Buffer, extra: Record<string, unknown> = {}) =>
  ({ cmd: 'publish', topic, qos: 1, retain: false, dup: false, messageId: 7, payload, ...extra }) as const;

describe('protocol log slots', () => {
  it('reads each PUBLISH back with its own payload head, size and properties after the ring wrapped', () => {
    const log = new ProtocolLog(2);
    log.add('in', publish('a', Buffer.from('first payload')));
    log.add('out', publish('b', 'x'.repeat(100), { properties: { contentType: 'text/plain' } }));
    log.add('in', publish('c', Buffer.from([0xff, 0x00, 0x01])));
    const [b, c] = log.get(undefined, 10);
    expect(b).toMatchObject({ seq: 2, direction: 'out', type: 'publish', summary: 'PUBLISH b (QoS 1 id 7, 100 bytes)' });
    expect(b?.detail).toMatchObject({ topic: 'b', payload: { bytes: 100, text: 'x'.repeat(64), cut: true }, properties: { contentType: 'text/plain' } });
    expect(c?.detail).toMatchObject({ topic: 'c', messageId: 7, payload: { bytes: 3, hex: 'ff 00 01' } });
    expect(c?.detail.properties).toBeUndefined();
  });

  it('keeps a later packet of another kind whole when it takes over a PUBLISH slot', () => {
    const log = new ProtocolLog(1);
    log.add('in', publish('a', 'hello', { properties: { userProperties: { k: 'v' } } }));
    log.add('out', { cmd: 'puback', messageId: 7, reasonCode: 16 });
    const [ack] = log.get(undefined, 10);
    expect(ack).toMatchObject({ type: 'puback', summary: expect.stringMatching(/^PUBACK id 7 .*0x10/) as unknown });
    expect(ack?.detail).toEqual({ cmd: 'puback', messageId: 7, reasonCode: 16 });
  });
});
