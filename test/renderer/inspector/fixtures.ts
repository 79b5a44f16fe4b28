import type { MessageRecord } from '@common/model';

export const text = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);

export function record(overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: 7,
    topic: 'home/kitchen/temp',
    payload: text('{"t":21.5}'),
    time: new Date(2025, 2, 1, 14, 3, 27, 518).getTime(),
    qos: 1,
    retain: true,
    dup: false,
    properties: {},
    recorded: false,
    ...overrides,
  };
}
