/**
 * Every demo message goes out through here: it remembers which topics the demo used (for the
 * status and, through a profile, for clearing its retained topics at stop), and turns a failed
 * publish into a count and a sentence instead of an unhandled rejection.
 */
import type { QoS } from '../../common/model';
import type { DemoLink, DemoPublishOptions } from './link';
import type { DemoStream } from './scheduler';

const encoder = new TextEncoder();

export interface SendOptions {
  qos?: QoS;
  retain?: boolean;
  /** Another link than the main one (a device's own connection). */
  via?: DemoLink;
}

export class DemoOutput {
  readonly topics = new Set<string>();
  /** Topics the demo left a retained message on. */
  readonly retained = new Set<string>();
  failures = 0;
  lastError: string | undefined;

  constructor(readonly link: DemoLink) {}

  get v5(): boolean {
    return this.link.protocolVersion === 5;
  }

  async bytes(topic: string, payload: Uint8Array, options: SendOptions & Pick<DemoPublishOptions, 'properties'> = {}): Promise<boolean> {
    const via = options.via ?? this.link;
    this.topics.add(topic);
    if (options.retain) {
      if (payload.length > 0) this.retained.add(topic);
      else this.retained.delete(topic);
    }
    try {
      await via.publish(topic, payload, {
        qos: options.qos ?? 0,
        retain: options.retain ?? false,
        ...(options.properties ? { properties: options.properties } : {}),
      });
      return true;
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  text(topic: string, text: string, options: SendOptions = {}): Promise<boolean> {
    const via = options.via ?? this.link;
    return this.bytes(topic, encoder.encode(text), via.protocolVersion === 5 ? { ...options, properties: { payloadFormatIndicator: true } } : options);
  }

  json(topic: string, value: unknown, options: SendOptions = {}): Promise<boolean> {
    const via = options.via ?? this.link;
    const properties = via.protocolVersion === 5 ? { properties: { payloadFormatIndicator: true, contentType: 'application/json' } } : {};
    return this.bytes(topic, encoder.encode(JSON.stringify(value)), { ...options, ...properties });
  }
}

/** A part of the demo: some devices, their periodic streams, and what they do at start and stop. */
export interface DemoDevices {
  readonly devices: number;
  readonly streams: DemoStream[];
  start(): Promise<void>;
  stop(): Promise<void>;
}
