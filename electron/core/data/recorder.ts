/**
 * The hot path of one connection: each received message goes into the tree (O(depth)) and the
 * store's write queue, nothing more. Writes happen in batches on a timer, one transaction each.
 * When the queue passes its bound the recorder holds mqtt.js's callback, so the socket is not read
 * until the store catches up: memory stays bounded and nothing is dropped. A store that fails (disk
 * full) rather than lags is held for only a few seconds: then the socket is read again so the
 * connection and the tree stay live, and what does not fit the queue is counted and reported as not
 * recorded. A store that cannot open at all (read-only file, unwritable folder) leaves the recorder
 * tree-only: every message is counted as not recorded while opening is retried with backoff.
 */
import type { RetentionSettings } from '../../common/model';
import { ApiFailure } from '../../common/result';
import type { ConnectionStats } from '../../common/session';
import type { ConnectionRecorder, EventSink, ReceivedMessage } from '../services';
import { describeStoreError, MessageStore } from '../store';
import { TopicTree } from '../tree';

export interface RecorderLimits {
  /** Write at least this often while messages wait. */
  writeIntervalMs: number;
  /** Write at once (next tick) when this many wait. */
  batchRows: number;
  /** Stop reading the socket above these... */
  highRows: number;
  highBytes: number;
  /** ...and read again below these. */
  lowRows: number;
  lowBytes: number;
  /** Retry a failed write after this long, doubling up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
  /**
   * A store that keeps failing this long stops holding the socket: the connection would otherwise
   * die of a keep-alive timeout. The tree stays live; what does not fit the queue is counted as not
   * recorded and reported, until a write succeeds again.
   */
  failureHoldMs: number;
}

export const DEFAULT_LIMITS: RecorderLimits = {
  writeIntervalMs: 50,
  batchRows: 5_000,
  highRows: 20_000,
  highBytes: 64 * 1024 * 1024,
  lowRows: 5_000,
  lowBytes: 16 * 1024 * 1024,
  firstRetryMs: 250,
  maxRetryMs: 10_000,
  failureHoldMs: 5_000,
};

/**
 * Opens the store of a connection; throws an Error whose message is the sentence to show (cause and
 * way out) when it cannot.
 */
export type StoreOpener = (retention: RetentionSettings) => MessageStore;

export class Recorder implements ConnectionRecorder {
  readonly tree: TopicTree;
  /** Undefined while the store cannot open: the recorder is tree-only until `retryOpen` succeeds. */
  private current: MessageStore | undefined;
  private readonly openStore: StoreOpener | undefined;
  /** Retention to open the store with (and what it was last set to). */
  private retention: RetentionSettings;
  private held: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private retryMs = 0;
  private storeError: string | undefined;
  /** Since when (epoch ms) writes fail; undefined while the store is fine. */
  private failingSince: number | undefined;
  /** The store failed for longer than `failureHoldMs`: the socket is read, the overflow not recorded. */
  private liveOnly = false;
  private liveOnlyTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages shown in the tree but not recorded during the current failure. */
  private unrecorded = 0;
  private closed = false;

  /** `source`: an open store, or how to open one (retried with backoff while it fails). */
  constructor(
    readonly connectionId: string,
    source: MessageStore | { open: StoreOpener; retention: RetentionSettings },
    private readonly events: EventSink,
    private readonly limits: RecorderLimits = DEFAULT_LIMITS,
  ) {
    this.tree = new TopicTree(connectionId);
    if (source instanceof MessageStore) {
      this.retention = source.retentionSettings;
      this.attach(source);
      return;
    }
    this.openStore = source.open;
    this.retention = source.retention;
    this.retryOpen();
  }

  /** The open store; reads of a recorder whose store could not open fail with the reason. */
  get store(): MessageStore {
    if (this.current !== undefined) return this.current;
    throw new ApiFailure('storage', this.storeError ?? 'The message store is not open.');
  }

  get retentionSettings(): RetentionSettings {
    return this.retention;
  }

  private attach(store: MessageStore): void {
    const late = this.tree.root.subtreeMessages > 0;
    for (const topic of store.restoredTopics()) {
      // A topic already live in this run keeps what it shows; its stored history is read from disk.
      if (late && (this.tree.find(topic.topic)?.messages ?? 0) > 0) continue;
      this.tree.restore(topic);
    }
    this.current = store;
    // Retention applies to what is on disk with the first write.
    this.writeSoon();
  }

  private readonly retryOpen = (): void => {
    this.timer = undefined;
    if (this.closed || this.openStore === undefined) return;
    let store: MessageStore;
    try {
      store = this.openStore(this.retention);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.storeError === undefined) this.events.emit({ type: 'app.problem', message });
      this.storeError = message;
      this.failingSince ??= Date.now();
      this.retryMs = Math.min(this.limits.maxRetryMs, this.retryMs === 0 ? this.limits.firstRetryMs : this.retryMs * 2);
      this.timer = setTimeout(this.retryOpen, this.retryMs);
      return;
    }
    if (this.storeError !== undefined && this.failingSince !== undefined) {
      this.events.emit({
        type: 'app.problem',
        message: `The message store of ${this.connectionId} is open now and records again. ${this.unrecorded.toLocaleString('en-US')} messages received since ${new Date(this.failingSince).toLocaleTimeString()} were shown in the tree but not recorded, because the store could not be opened.`,
      });
    }
    this.storeError = undefined;
    this.retryMs = 0;
    this.failingSince = undefined;
    this.unrecorded = 0;
    this.attach(store);
  };

  record(message: ReceivedMessage, resume: () => void): void {
    if (this.closed) {
      resume();
      return;
    }
    const store = this.current;
    if (store === undefined) {
      // Tree-only: id 0 names no stored message, so the tree never points at another one's record.
      this.tree.record(message.topic, 0, message.time, message.payload, message.qos, message.retain);
      this.unrecorded++;
      resume();
      return;
    }
    const queue = store.queue;
    const limits = this.limits;
    const id = store.allocateId();
    const node = this.tree.record(message.topic, id, message.time, message.payload, message.qos, message.retain);
    if (node.topicId === 0) node.topicId = store.topicId(message.topic);
    if (this.liveOnly && (queue.length >= limits.highRows || queue.bytes >= limits.highBytes)) {
      this.unrecorded++;
      resume();
      return;
    }
    store.enqueue(id, node.topicId, message);
    if (queue.length >= limits.batchRows) this.writeSoon();
    else if (this.timer === undefined && this.immediate === undefined && !store.writing) this.timer = setTimeout(this.writeNow, limits.writeIntervalMs);
    if (queue.length < limits.highRows && queue.bytes < limits.highBytes) {
      resume();
      return;
    }
    this.held.push(resume);
    this.writeSoon();
  }

  /** True while mqtt.js is waiting for the store. */
  get backpressure(): boolean {
    return this.held.length > 0;
  }

  private writeSoon(): void {
    if (this.immediate !== undefined || this.retryMs > 0 || this.current === undefined || this.current.writing) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.immediate = setImmediate(this.writeNow);
  }

  /** Hands the next batch to the writer; the next one follows when it is done. */
  private readonly writeNow = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    const store = this.current;
    if (this.closed || store === undefined || store.writing || !store.writePending) return;
    store.write().then(
      () => {
        this.recovered();
        this.release();
        this.scheduleNext();
      },
      (error: unknown) => this.failed(error),
    );
  };

  private scheduleNext(): void {
    const store = this.current;
    if (this.closed || store === undefined || !store.writePending) return;
    if (store.queue.length >= this.limits.batchRows || this.held.length > 0) this.writeSoon();
    else if (this.timer === undefined && this.immediate === undefined) this.timer = setTimeout(this.writeNow, this.limits.writeIntervalMs);
  }

  private release(): void {
    if (this.held.length === 0 || this.current === undefined) return;
    const queue = this.current.queue;
    if ( queue.length > this.limits.lowRows || queue.bytes > this.limits.lowBytes) return;
    const held = this.held;
    this.held = [];
    for (const resume of held) resume();
  }

  /** Reported once per failure streak; the tree stays live and writes are retried with backoff. */
  private failed(error: unknown): void {
    if (this.closed) return;
    const message = describeStoreError(error, this.store.file);
    if (this.storeError === undefined) this.events.emit({ type: 'app.problem', message });
    this.storeError = message;
    if (this.failingSince === undefined) {
      this.failingSince = Date.now();
      this.liveOnlyTimer = setTimeout(this.goLive, this.limits.failureHoldMs);
    }
    this.retryMs = Math.min(this.limits.maxRetryMs, this.retryMs === 0 ? this.limits.firstRetryMs : this.retryMs * 2);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = setTimeout(this.writeNow, this.retryMs);
  }

  /** The store has failed too long to keep the socket waiting: read on, record what fits. */
  private readonly goLive = (): void => {
    this.liveOnlyTimer = undefined;
    if (this.closed || this.failingSince === undefined) return;
    this.liveOnly = true;
    const held = this.held;
    this.held = [];
    for (const resume of held) resume();
  };

  private recovered(): void {
    if (this.storeError === undefined && this.retryMs === 0) return;
    if (this.unrecorded > 0 && this.failingSince !== undefined) {
      this.events.emit({
        type: 'app.problem',
        message: `The message store of ${this.connectionId} writes again. ${this.unrecorded.toLocaleString('en-US')} messages received since ${new Date(this.failingSince).toLocaleTimeString()} were shown in the tree but not recorded, because the store could not write and the queue was full.`,
      });
    }
    if (this.liveOnlyTimer !== undefined) clearTimeout(this.liveOnlyTimer);
    this.liveOnlyTimer = undefined;
    this.storeError = undefined;
    this.retryMs = 0;
    this.failingSince = undefined;
    this.liveOnly = false;
    this.unrecorded = 0;
  }

  /** Writes everything queued now (before an export). Rejects when the store fails. */
  async flush(): Promise<void> {
    await this.store.flush();
    this.recovered();
    this.release();
  }

  /** Applies new retention settings to everything on disk with the next write. */
  setRetention(retention: RetentionSettings): void {
    this.retention = retention;
    this.current?.setRetention(retention);
    this.writeSoon();
  }

  stats(): ConnectionStats {
    const root = this.tree.root;
    const store = this.current;
    const stats: ConnectionStats = {
      connectionId: this.connectionId,
      msgsPerSec: root.rateAt(Math.floor(Date.now() / 1000)),
      topics: root.subtreeTopics,
      messages: root.subtreeMessages,
      stored: store?.stored ?? 0,
      storeBytes: store?.storedBytes ?? 0,
      writingBehind: store?.queue.length ?? 0,
      backpressure: this.backpressure,
    };
    if (this.storeError !== undefined) stats.storeError = this.storeError;
    if (this.unrecorded > 0) stats.unrecorded = this.unrecorded;
    return stats;
  }

  /** Writes what is queued and closes the store; messages arriving later are let through unrecorded. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.liveOnlyTimer !== undefined) clearTimeout(this.liveOnlyTimer);
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const store = this.current;
    if (store === undefined) return;
    try {
      await store.flush();
    } catch (error) {
      this.events.emit({
        type: 'app.problem',
        message: `${store.queue.length} received messages could not be saved before closing: ${describeStoreError(error, store.file)}`,
      });
    }
    const held = this.held;
    this.held = [];
    for (const resume of held) resume();
    await store.close();
  }
}
