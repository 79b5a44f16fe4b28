/**
 * Delivers event batches to one socket without letting a slow reader grow the host's memory.
 *
 * While the socket keeps up, every batch goes out as it is. Once its send buffer passes the high
 * water mark the channel stops sending and keeps only what a reader needs to catch up: the latest
 * event of each kind and subject (status per connection, stats, profiles, broker, each repeat job)
 * and the problems (capped). Tree deltas are dropped and remembered only as the connection ids they
 * touched; when the buffer has drained below the low water mark the channel sends the held events
 * and, per touched connection, a `tree.delta` with `reset: true`, which tells the renderer to drop
 * its copy and ask again. Memory held is bounded by the number of connections and jobs, not by the
 * message rate or the time the reader stays slow.
 *
 * Answers to requests share the socket's buffer but are not the channel's to judge: a multi-MB
 * answer would otherwise read as a slow reader and cost a full tree reset. The host reports each
 * answer through `answered`, and the channel counts only the rest of the buffer against its marks.
 */
import type { EngineEvent, EventBatch } from '../common/api';
import { encodeEventBatch } from './rpc';

export interface BufferedSocket {
  readonly bufferedAmount: number;
  send(text: string): void;
}

const MAX_HELD_PROBLEMS = 100;

function holdKey(event: EngineEvent): string | undefined {
  switch (event.type) {
    case 'connection.status':
      return `status:${event.status.connectionId}`;
    case 'connection.stats':
      return 'stats';
    case 'profiles.changed':
      return 'profiles';
    case 'publish.repeat':
      return `repeat:${event.progress.jobId}`;
    case 'broker.status':
      return 'broker';
    case 'retained.progress':
      return `retained:${event.progress.connectionId}:${event.progress.nodeId}`;
    default:
      return undefined;
  }
}

export class EventChannel {
  private lagging = false;
  private readonly held = new Map<string, EngineEvent>();
  private readonly problems: EngineEvent[] = [];
  private readonly resets = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** An upper bound on the answer bytes still in the socket's buffer. */
  private answerBytes = 0;
  /** Batches not sent whole because the socket was slow (for tests and diagnostics). */
  coalesced = 0;

  constructor(
    private readonly socket: BufferedSocket,
    private readonly highWater = 8 * 1024 * 1024,
    private readonly lowWater = highWater / 4,
    private readonly checkMs = 50,
  ) {}

  /** `encoded` is the batch's notification text, shared by every socket. */
  push(batch: EventBatch, encoded: string): void {
    if (!this.lagging && this.eventBytesBuffered() <= this.highWater) {
      this.socket.send(encoded);
      return;
    }
    this.lagging = true;
    this.coalesced++;
    this.hold(batch);
    this.timer ??= setInterval(() => this.tryDrain(), this.checkMs);
    this.timer.unref?.();
  }

  /** Call with an answer's size in bytes as it goes to the socket. */
  answered(bytes: number): void {
    this.answerBytes = this.answersBuffered() + bytes;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private answersBuffered(): number {
    // The buffer cannot hold more answer bytes than it holds at all. Since it drains in order, the
    // bound is exact while answers sit at its end; once one has partly left, the events behind it
    // count as answer until the buffer falls below the bound, an error toward a reader being fine
    // of at most the answers' size, and one number of memory however many answers went out.
    this.answerBytes = Math.min(this.answerBytes, this.socket.bufferedAmount);
    return this.answerBytes;
  }

  private eventBytesBuffered(): number {
    return this.socket.bufferedAmount - this.answersBuffered();
  }

  private hold(batch: EventBatch): void {
    for (const event of batch) {
      if (event.type === 'tree.delta') {
        this.resets.add(event.delta.connectionId);
        continue;
      }
      const key = holdKey(event);
      if (key !== undefined) {
        // Re-insert so the held order follows the latest arrival.
        this.held.delete(key);
        this.held.set(key, event);
      } else if (this.problems.length < MAX_HELD_PROBLEMS) {
        this.problems.push(event);
      }
    }
  }

  private tryDrain(): void {
    if (this.eventBytesBuffered() > this.lowWater) return;
    const batch: EventBatch = [...this.problems, ...this.held.values()];
    for (const connectionId of this.resets) {
      batch.push({ type: 'tree.delta', delta: { connectionId, nodes: [], removed: [], reset: true } });
    }
    this.problems.length = 0;
    this.held.clear();
    this.resets.clear();
    this.lagging = false;
    this.close();
    if (batch.length > 0) this.socket.send(encodeEventBatch(batch));
  }
}
