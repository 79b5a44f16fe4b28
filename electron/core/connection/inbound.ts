/**
 * The hot path of received messages: topic aliases resolved, the packet turned into a
 * ReceivedMessage in O(number of properties), engine listeners served, and the recorder called
 * with mqtt.js's own continuation so a slow store stops the socket instead of growing memory.
 */
import type { IPublishPacket } from 'mqtt';
import { topicMatches, unshared } from '../../common/topic';
import type { ConnectionRecorder, ReceivedMessage } from '../services';
import { fromPacketPublishProperties } from './properties';

export type MessageListener = (message: ReceivedMessage) => void;

export class Inbound {
  /** Topic aliases the broker set on the current network connection (alias → topic). */
  private readonly aliases = new Map<number, string>();
  private aliasMaximum = 0;
  private recorder: ConnectionRecorder | undefined;
  private recorderFailed = false;
  private readonly listeners = new Map<string, Set<MessageListener>>();

  constructor(private readonly onProblem: (message: string) => void) {}

  /** A fresh open: the recorder to feed and the Topic Alias Maximum announced in CONNECT. */
  begin(recorder: ConnectionRecorder, aliasMaximum: number): void {
    this.recorder = recorder;
    this.aliasMaximum = aliasMaximum;
    this.recorderFailed = false;
    this.aliases.clear();
  }

  /** Aliases live as long as one network connection [MQTT-3.3.2-7]. */
  networkConnectionEnded(): void {
    this.aliases.clear();
  }

  /**
   * mqtt.js resolves a received topic alias only for its `message` event; the packet it hands to
   * handleMessage keeps the empty topic (and a QoS 2 message is handed over from its store at
   * PUBREL). Writing the topic into the packet on `packetreceive`, before mqtt.js handles it, fixes both.
   */
  resolveAlias(packet: IPublishPacket): void {
    const alias = packet.properties?.topicAlias;
    if (alias === undefined || alias < 1 || alias > this.aliasMaximum) return;
    if (packet.topic === '') {
      const topic = this.aliases.get(alias);
      if (topic !== undefined) packet.topic = topic;
    } else {
      this.aliases.set(alias, packet.topic);
    }
  }

  /** mqtt.js's handleMessage: it reads no more from the socket until `done` is called. */
  handle(packet: IPublishPacket, done: (error?: Error) => void): void {
    const message: ReceivedMessage = {
      topic: packet.topic,
      payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      properties: fromPacketPublishProperties(packet.properties),
      time: Date.now(),
    };
    if (this.listeners.size > 0) this.notify(message);
    const recorder = this.recorder;
    if (recorder === undefined) {
      done();
      return;
    }
    let resumed = false;
    const resume = (): void => {
      if (resumed) return;
      resumed = true;
      done();
    };
    try {
      recorder.record(message, resume);
    } catch (error) {
      // A failing recorder must not stall the connection: the message is lost, the person told once.
      if (!this.recorderFailed) {
        this.recorderFailed = true;
        this.onProblem((error as Error).message);
      }
      resume();
    }
  }

  addListener(filter: string, listener: MessageListener): void {
    let set = this.listeners.get(filter);
    if (set === undefined) this.listeners.set(filter, (set = new Set()));
    set.add(listener);
  }

  /** Returns true when nobody listens on `filter` any more. */
  removeListener(filter: string, listener: MessageListener): boolean {
    const set = this.listeners.get(filter);
    if (set === undefined) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.listeners.delete(filter);
    return true;
  }

  hasListeners(filter: string): boolean {
    return this.listeners.has(filter);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  private notify(message: ReceivedMessage): void {
    for (const [filter, set] of this.listeners) {
      if (!topicMatches(unshared(filter), message.topic)) continue;
      for (const listener of set) {
        try {
          listener(message);
        } catch {
          // A caller's listener failing is its own business; recording goes on.
        }
      }
    }
  }
}
