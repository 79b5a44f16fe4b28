/**
 * The demo devices: realistic traffic for a first look or a screenshot, on the built-in broker or
 * through a connected profile the person picked. About 100 topics at 50 messages per second by
 * default; the rate can change while it runs.
 */
import { topicMatches, unshared } from '../../common/topic';
import { createBinary } from './binary';
import { createHomeAssistant } from './home-assistant';
import type { DemoTarget } from './link';
import { DemoOutput, type DemoDevices } from './output';
import { createRpc } from './rpc';
import { RateScheduler } from './scheduler';
import { createSensors } from './sensors';
import { createSparkplug, sparkplugTopic, type SparkplugNode } from './sparkplug';
import { createWillDevice, DEFAULT_WILL_TIMING, type WillDevice, type WillTiming } from './will-device';
import { createZigbee } from './zigbee';

export interface DemoState {
  running: boolean;
  devices: number;
  messagesPerSecond: number;
  targetConnectionId?: string;
  topics: number;
  message?: string;
}

export interface DemoRunnerOptions {
  willTiming?: WillTiming;
  random?: () => number;
  /** Called when the state changes in a way the status should show (start, stop, paused, failures). */
  onDidChange?: () => void;
}

interface Active {
  target: DemoTarget;
  out: DemoOutput;
  parts: DemoDevices[];
  sparkplug: SparkplugNode;
  will: WillDevice;
  scheduler: RateScheduler;
  problems: string[];
}

const PART_NAMES = ['sensors', 'zigbee2mqtt devices', 'Home Assistant discovery', 'binary devices', 'request/response responder', 'Sparkplug B edge node', 'irrigation pump'];

export class DemoRunner {
  private active: Active | undefined;
  private lastMessage: string | undefined;
  private paused = false;
  private failing = false;
  private rebirthTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: DemoRunnerOptions = {}) {}

  get running(): boolean {
    return this.active !== undefined;
  }

  get targetConnectionId(): string | undefined {
    return this.active?.target.connectionId;
  }

  state(): DemoState {
    const active = this.active;
    if (active === undefined) {
      return { running: false, devices: 0, messagesPerSecond: 0, topics: 0, ...(this.lastMessage ? { message: this.lastMessage } : {}) };
    }
    const message = this.messageOf(active);
    return {
      running: true,
      devices: active.parts.reduce((sum, part) => sum + part.devices, 0),
      messagesPerSecond: active.scheduler.messagesPerSecond,
      ...(active.target.connectionId !== undefined ? { targetConnectionId: active.target.connectionId } : {}),
      topics: active.out.topics.size,
      ...(message ? { message } : {}),
    };
  }

  async start(target: DemoTarget, messagesPerSecond: number): Promise<void> {
    if (this.active) await this.stop();
    const random = this.options.random ?? Math.random;
    const out = new DemoOutput(target.main);
    const sparkplug = createSparkplug(out, random, target.connectDevice ? (will) => connectOwn(target, 'topograph-demo-sparkplug-gateway-07', will) : undefined);
    const will = createWillDevice(out, random, target.connectDevice, this.options.willTiming ?? DEFAULT_WILL_TIMING);
    const parts = [createSensors(out, random), createZigbee(out, random), createHomeAssistant(out), createBinary(out, random), createRpc(out, random), sparkplug, will];
    const problems: string[] = [];
    for (const [index, part] of parts.entries()) {
      try {
        await part.start();
      } catch (error) {
        // One device failing (a subscription the broker refuses, say) leaves the others running.
        problems.push(`The ${PART_NAMES[index] ?? 'demo part'} could not start: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const scheduler = new RateScheduler(
      parts.flatMap((part) => part.streams),
      messagesPerSecond,
      () => this.canSend(),
      random,
    );
    this.active = { target, out, parts, sparkplug, will, scheduler, problems };
    this.lastMessage = undefined;
    this.paused = false;
    this.failing = false;
    scheduler.start();
    this.options.onDidChange?.();
  }

  setRate(messagesPerSecond: number): void {
    this.active?.scheduler.setRate(messagesPerSecond);
    this.options.onDidChange?.();
  }

  /** Stops every device: statuses go offline, the Sparkplug node sends its deaths. */
  async stop(message?: string): Promise<void> {
    const active = this.active;
    if (active === undefined) return;
    this.active = undefined;
    if (this.rebirthTimer) clearTimeout(this.rebirthTimer);
    active.scheduler.stop();
    for (const part of [...active.parts].reverse()) await part.stop().catch(() => undefined);
    if (active.target.connectionId !== undefined) {
      // On someone's own broker, leave nothing behind: retained discovery documents would
      // otherwise turn into phantom devices in their Home Assistant, for one.
      await Promise.all([...active.out.retained].map((topic) => active.out.bytes(topic, new Uint8Array(), { qos: 1, retain: true })));
    }
    await active.target.close().catch(() => undefined);
    this.lastMessage = message;
    this.options.onDidChange?.();
  }

  /**
   * A client subscribed on the built-in broker: if it watches the Sparkplug node, the node
   * rebirths so the new subscriber learns the metric names (as a host application's Rebirth
   * command would get it to).
   */
  noticeSubscription(filters: readonly string[]): void {
    const birth = sparkplugTopic('NBIRTH');
    if (!this.active || !filters.some((filter) => topicMatches(unshared(filter), birth))) return;
    if (this.rebirthTimer) clearTimeout(this.rebirthTimer);
    this.rebirthTimer = setTimeout(() => void this.active?.sparkplug.rebirth(), 200);
  }

  /** Cuts the irrigation pump's connection so the broker publishes its Last Will. */
  killWillDevice(): Promise<boolean> {
    return this.active?.will.kill() ?? Promise.resolve(false);
  }

  rebirth(): Promise<void> {
    return this.active?.sparkplug.rebirth() ?? Promise.resolve();
  }

  /** Cuts the Sparkplug node's connection so the broker publishes its NDEATH Will. */
  killSparkplugNode(): boolean {
    return this.active?.sparkplug.kill() ?? false;
  }

  private canSend(): boolean {
    const active = this.active;
    if (!active) return false;
    const ready = active.target.main.ready;
    const failing = active.out.failures > 0;
    if (ready === this.paused || failing !== this.failing) {
      this.paused = !ready;
      this.failing = failing;
      this.options.onDidChange?.();
    }
    return ready;
  }

  private messageOf(active: Active): string | undefined {
    if (!active.target.main.ready) {
      return active.target.connectionId !== undefined
        ? 'The demo is paused: its connection is not connected. It resumes when the connection is back.'
        : 'The demo is paused: it lost its connection to the local broker and is reconnecting.';
    }
    const lines = [...active.problems];
    if (active.out.failures > 0) {
      lines.push(`${active.out.failures} demo message${active.out.failures === 1 ? '' : 's'} could not be published; the last failure: ${active.out.lastError ?? 'unknown'}`);
    }
    return lines.length > 0 ? lines.join(' ') : undefined;
  }
}

function connectOwn(target: DemoTarget, clientId: string, will: Uint8Array) {
  const connect = target.connectDevice;
  if (!connect) throw new Error('This target has no device connections.');
  // [tck-id-payloads-ndeath-will-message-qos] QoS 1; [tck-id-payloads-ndeath-will-message-retain] not retained.
  return connect(clientId, { topic: sparkplugTopic('NDEATH'), payload: will, qos: 1, retain: false });
}

export { brokerTarget, sessionTarget, type DemoTarget } from './link';
export type { WillTiming } from './will-device';
