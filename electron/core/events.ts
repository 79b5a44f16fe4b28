import type { EngineEvent, EventBatch } from '../common/api';
import type { EventSink } from './services';

export const DEFAULT_FLUSH_MS = 100;

/**
 * Collects events and delivers them in one batch per flush interval, so the UI gets a bounded
 * number of messages per second whatever the MQTT message rate. Before each flush it runs the
 * registered producers (tree deltas, stats), which emit what changed since the last flush.
 */
export class EventHub implements EventSink {
  private queue: EngineEvent[] = [];
  private readonly listeners = new Set<(batch: EventBatch) => void>();
  private readonly producers = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly flushMs = DEFAULT_FLUSH_MS) {}

  emit(event: EngineEvent): void {
    this.queue.push(event);
  }

  /** A producer runs before each flush and may emit (e.g. the tree's delta since the last flush). */
  addProducer(produce: () => void): () => void {
    this.producers.add(produce);
    return () => this.producers.delete(produce);
  }

  onDidEmit(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.flushMs);
    this.timer.unref?.();
  }

  flush(): void {
    for (const produce of this.producers) produce();
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    for (const listener of this.listeners) listener(batch);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
