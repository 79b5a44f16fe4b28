/**
 * The size of a PUBLISH packet as it goes on the wire, without building it around a large payload:
 * mqtt-packet generates the packet with an empty payload, and the payload's length is added.
 */
import type { IPublishPacket } from 'mqtt';
import mqttPacket from 'mqtt-packet';

const EMPTY = Buffer.alloc(0);

/** Bytes of a Remaining Length field (§1.5.5 Variable Byte Integer). */
export function varintSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

export interface PublishShape {
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: IPublishPacket['properties'];
}

export function publishPacketSize(shape: PublishShape, payloadLength: number, protocolVersion: 3 | 4 | 5): number {
  const head = mqttPacket.generate(
    {
      cmd: 'publish',
      topic: shape.topic,
      payload: EMPTY,
      qos: shape.qos,
      retain: shape.retain,
      dup: false,
      ...(shape.qos > 0 ? { messageId: 1 } : {}),
      ...(protocolVersion === 5 && shape.properties ? { properties: shape.properties } : {}),
    },
    { protocolVersion },
  );
  let lengthBytes = 1;
  while (((head[lengthBytes] ?? 0) & 0x80) !== 0) lengthBytes++;
  const remaining = head.length - 1 - lengthBytes + payloadLength;
  return 1 + varintSize(remaining) + remaining;
}
