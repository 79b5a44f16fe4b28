/**
 * Publishing through one connection: the broker's CONNACK limits checked before sending (mqtt.js
 * checks none of them), in-flight QoS 1/2 messages kept within the broker's Receive Maximum, and
 * the PUBACK / PUBREC / PUBCOMP answer turned into a PublishOutcome.
 */
import type { MqttClient, Packet } from 'mqtt';
import { describePublishAck, hexCode } from '../../common/reason-codes';
import { ApiFailure } from '../../common/result';
import type { ConnackInfo, PublishOutcome } from '../../common/session';
import { topicNameProblem } from '../../common/topic';
import type { PublishOptions } from '../services';
import { publishPacketSize } from './packet-size';
import { asBuffer, toPacketPublishProperties } from './properties';

type AckPacket = Extract<Packet, { cmd: 'puback' | 'pubrec' | 'pubcomp' }>;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

const NOT_CONNECTED = 'The connection to the broker closed before the message was acknowledged. It may not have arrived; publish it again once connected.';

export class Publisher {
  /** Acknowledgements by packet id, read by the publish callback (mqtt.js does not pass them on success). */
  private readonly acks = new Map<number, { pubrec?: AckPacket; final?: AckPacket }>();
  private inflight = 0;
  private readonly waiting: Waiter[] = [];
  /** Topic aliases this client set on the current network connection (alias → topic). */
  private readonly sentAliases = new Map<number, string>();

  constructor(
    private readonly protocolVersion: 3 | 4 | 5,
    private readonly isConnected: () => boolean,
  ) {}

  /** From `packetreceive`: runs before mqtt.js hands the ack to the publish callback. */
  onAck(packet: AckPacket): void {
    const id = packet.messageId;
    if (id === undefined) return;
    const entry = this.acks.get(id) ?? {};
    if (packet.cmd === 'pubrec') entry.pubrec = packet;
    else entry.final = packet;
    this.acks.set(id, entry);
  }

  /** A new network connection: packet ids start over, and anyone waiting for a slot gives up. */
  onConnectionClosed(): void {
    this.acks.clear();
    this.sentAliases.clear();
    for (const waiter of this.waiting.splice(0)) waiter.reject(new ApiFailure('not-connected', NOT_CONNECTED));
  }

  async publish(client: MqttClient, connack: ConnackInfo | undefined, topic: string, payload: Uint8Array, options: PublishOptions): Promise<PublishOutcome> {
    const v5 = this.protocolVersion === 5;
    const properties = v5 ? toPacketPublishProperties(options.properties) : undefined;
    this.check(connack, topic, options);
    const packetSize = publishPacketSize({ topic, qos: options.qos, retain: options.retain, ...(properties ? { properties } : {}) }, payload.length, this.protocolVersion);
    if (connack?.maximumPacketSize !== undefined && packetSize > connack.maximumPacketSize) {
      throw new ApiFailure(
        'invalid-argument',
        `This message makes a ${packetSize}-byte packet, but the broker accepts at most ${connack.maximumPacketSize} bytes (Maximum Packet Size in its CONNACK). Send a smaller payload or fewer properties.`,
      );
    }
    if (options.qos > 0) await this.acquire(connack?.receiveMaximum ?? 65_535);
    try {
      if (!this.isConnected()) throw new ApiFailure('not-connected', 'The connection is not open. Connect first, then publish.');
      const alias = properties?.topicAlias;
      // [MQTT-3.3.2-12] a topic with an alias (re)binds that alias for this network connection.
      if (alias !== undefined && topic !== '') this.sentAliases.set(alias, topic);
      return await this.send(client, topic, payload, options, properties, packetSize);
    } finally {
      if (options.qos > 0) this.release();
    }
  }

  private check(connack: ConnackInfo | undefined, topic: string, options: PublishOptions): void {
    const alias = this.protocolVersion === 5 ? options.properties.topicAlias : undefined;
    const problem = topicNameProblem(topic, { allowEmpty: alias !== undefined });
    if (problem) throw new ApiFailure('invalid-argument', problem);
    const maximumQoS = connack?.maximumQoS ?? 2;
    if (options.qos > maximumQoS) {
      throw new ApiFailure(
        'invalid-argument',
        `The broker accepts QoS ${maximumQoS} at most (Maximum QoS in its CONNACK). Publish with QoS ${maximumQoS === 0 ? '0' : '0 or 1'}.`,
      );
    }
    if (options.retain && connack?.retainAvailable === false) {
      throw new ApiFailure('invalid-argument', 'The broker does not keep retained messages (Retain Available is 0 in its CONNACK). Publish without retain.');
    }
    if (alias !== undefined) {
      // mqtt.js would drop an unknown alias-only message silently and never call back.
      if (topic === '' && !this.sentAliases.has(alias)) {
        throw new ApiFailure(
          'invalid-argument',
          `Topic alias ${alias} means nothing on this connection yet. Publish once with both the topic and the alias, then the alias alone.`,
        );
      }
      const max = connack?.topicAliasMaximum ?? 0;
      if (alias > max) {
        throw new ApiFailure(
          'invalid-argument',
          max === 0
            ? 'The broker accepts no topic aliases (Topic Alias Maximum 0 in its CONNACK). Publish without an alias.'
            : `The broker accepts topic aliases 1 to ${max} (Topic Alias Maximum in its CONNACK); ${alias} is out of range.`,
        );
      }
    }
  }

  private send(
    client: MqttClient,
    topic: string,
    payload: Uint8Array,
    options: PublishOptions,
    properties: ReturnType<typeof toPacketPublishProperties> | undefined,
    packetSize: number,
  ): Promise<PublishOutcome> {
    return new Promise((resolve, reject) => {
      const publishOptions = { qos: options.qos, retain: options.retain, ...(properties ? { properties } : {}) };
      client.publish(topic, asBuffer(payload), publishOptions, (error, packet) => {
        if (options.qos === 0) {
          if (error) reject(new ApiFailure('not-connected', `The message could not be sent: ${error.message}. Connect again, then publish.`));
          else resolve({ kind: 'sent', packetSize });
          return;
        }
        const id = packet?.messageId;
        const acks = id === undefined ? undefined : this.acks.get(id);
        if (id !== undefined) this.acks.delete(id);
        const refusal = typeof (error as { code?: unknown } | undefined)?.code === 'number';
        if (error && !refusal) {
          reject(new ApiFailure('not-connected', NOT_CONNECTED));
          return;
        }
        try {
          resolve(this.outcome(acks, packetSize, options.qos));
        } catch (failure) {
          reject(failure as Error);
        }
      });
    });
  }

  /** Throws when the broker refused the message (a reason code >= 0x80). */
  private outcome(acks: { pubrec?: AckPacket; final?: AckPacket } | undefined, packetSize: number, qos: 1 | 2): PublishOutcome {
    const pubrec = acks?.pubrec;
    const final = acks?.final;
    let deciding = final ?? pubrec;
    // A delivered QoS 2 message ends with PUBCOMP 0x00 even when its PUBREC said 0x10
    // (no matching subscribers): keep the PUBREC's news.
    if (final && pubrec && (final.reasonCode ?? 0) === 0 && (pubrec.reasonCode ?? 0) !== 0) deciding = pubrec;
    const code = deciding?.reasonCode ?? 0;
    // Without a captured ack, name the packet that ends this QoS's flow.
    const packet = deciding?.cmd ?? (qos === 2 ? 'pubcomp' : 'puback');
    const text = describePublishAck(packet, code);
    const reasonString = deciding?.properties?.reasonString;
    if (!text.success) {
      const said = reasonString ? ` The broker said: "${reasonString}".` : '';
      throw new ApiFailure('refused-by-broker', `The broker refused the message: ${text.name} (${hexCode(code)}). ${text.note ?? ''}${said}`.trim(), {
        reasonCode: code,
        reasonName: text.name,
        ...(reasonString ? { reasonString } : {}),
      });
    }
    return {
      kind: 'acknowledged',
      packet,
      reasonCode: code,
      reasonName: text.name,
      ...(reasonString ? { reasonString } : {}),
      ...(text.note ? { note: text.note } : {}),
      packetSize,
    };
  }

  private acquire(receiveMaximum: number): Promise<void> {
    if (this.inflight < receiveMaximum) {
      this.inflight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: () => {
          this.inflight++;
          resolve();
        },
        reject,
      });
    });
  }

  private release(): void {
    this.inflight--;
    this.waiting.shift()?.resolve();
  }
}
