/**
 * The message store of one connection profile: `<dataDir>/messages/<connectionId>.sqlite`.
 * Messages get their id when received (so the tree can show it at once) and wait in a queue until
 * `write()` hands a batch to the writer, which puts it on disk in one transaction (in a worker
 * thread by default). Reads go through this thread's own connection and see queued messages too.
 */
import type Database from 'better-sqlite3';
import type { MessageRecord, MessageSummary, QoS, ReceivedProperties, RetentionSettings } from '../../common/model';
import type { RestoredTopic } from '../tree/topic-tree';
import { Ledger } from './ledger';
import { encodeProperties } from './properties';
import { StoreReads } from './reads';
import { isFilter, selectTopicIds } from './selection';
import { RetentionPlanner } from './retention';
import { FLAG_DUP, FLAG_RETAIN, openDatabase } from './schema';
import type { WriteJob } from './write-job';
import { WriteQueue } from './write-queue';
import { createWriter, type StoreWriter, type WriterMode } from './writer';

export interface IncomingMessage {
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties: ReceivedProperties | undefined;
  time: number;
}

export interface StoreOptions {
  /** Where SQLite writes run; default: a worker thread. */
  writer?: WriterMode;
}

/** Rows per write job at most; the rest waits for the next one. */
export const MAX_BATCH = 50_000;

const toFlags = (qos: QoS, retain: boolean, dup: boolean): number => qos | (retain ? FLAG_RETAIN : 0) | (dup ? FLAG_DUP : 0);

export class MessageStore {
  readonly queue = new WriteQueue();
  private readonly topicIds = new Map<string, number>();
  private readonly topicNames: string[] = [];
  /** Topic ids not yet on disk, in the order they were assigned. */
  private readonly newTopics: number[] = [];
  private nextId: number;
  private nextTopicId: number;
  readonly firstIdThisRun: number;
  private readonly ledger = new Ledger();
  private readonly retention: RetentionPlanner;
  private readonly reads: StoreReads;
  private readonly writer: StoreWriter;
  private inFlight: Promise<number> | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    /** This thread's connection: reads only. */
    readonly db: Database.Database,
    retention: RetentionSettings,
    options: StoreOptions,
  ) {
    for (const row of db.prepare('SELECT id, topic FROM topics').all() as { id: number; topic: string }[]) {
      this.topicIds.set(row.topic, row.id);
      this.topicNames[row.id] = row.topic;
    }
    this.nextTopicId = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM topics').pluck().get() as number) ?? 1;
    this.nextId = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM messages').pluck().get() as number) ?? 1;
    this.firstIdThisRun = this.nextId;
    const counts = db.prepare('SELECT topic_id, count(*) AS count, max(id) AS last FROM messages GROUP BY topic_id').all() as { topic_id: number; count: number; last: number }[];
    for (const row of counts) this.ledger.load(row.topic_id, row.count, row.last);
    this.ledger.bytes = db.prepare("SELECT value FROM meta WHERE key = 'payload_bytes'").pluck().get() as number;
    this.retention = new RetentionPlanner(this.ledger, retention);
    this.reads = new StoreReads(db, this.queue, (topicId) => this.topicNames[topicId] ?? '', this.firstIdThisRun);
    this.writer = createWriter(file, options.writer ?? 'worker');
  }

  /** Opens (creating if needed) the store file. Retention is applied to what is on disk with the first write. */
  static open(file: string, retention: RetentionSettings, options: StoreOptions = {}): MessageStore {
    const db = openDatabase(file);
    try {
      return new MessageStore(file, db, retention, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get retentionSettings(): RetentionSettings {
    return this.retention.settings;
  }

  /** New settings apply to everything on disk with the next write. */
  setRetention(settings: RetentionSettings): void {
    this.retention.settings = settings;
  }

  /** True when a write is worth starting: messages wait, or retention has work to do. */
  get writePending(): boolean {
    return this.queue.length > 0 || this.newTopics.length > 0 || this.retention.pending;
  }

  get writing(): boolean {
    return this.inFlight !== undefined;
  }

  /** The store's id of a topic, assigned now if the topic is new (written with the next batch). */
  topicId(topic: string): number {
    let id = this.topicIds.get(topic);
    if (id === undefined) {
      id = this.nextTopicId++;
      this.topicIds.set(topic, id);
      this.topicNames[id] = topic;
      this.newTopics.push(id);
    }
    return id;
  }

  topicName(topicId: number): string | undefined {
    return this.topicNames[topicId];
  }

  knownTopicId(topic: string): number | undefined {
    return this.topicIds.get(topic);
  }

  /** All topics the store knows, with their ids. */
  topics(): IterableIterator<[string, number]> {
    return this.topicIds.entries();
  }

  /** The id the next received message gets; ids grow with arrival order. */
  allocateId(): number {
    return this.nextId++;
  }

  /** Queues a message under an id from `allocateId`. */
  enqueue(id: number, topicId: number, message: IncomingMessage): void {
    this.queue.push(id, topicId, message.time, toFlags(message.qos, message.retain, message.dup), message.payload, encodeProperties(message.properties));
  }

  get stored(): number {
    return this.ledger.rows;
  }

  get storedBytes(): number {
    return this.ledger.bytes;
  }

  /**
   * Writes up to `max` queued messages (and due retention) in one transaction. Resolves with the
   * number written; rejects (keeping them queued) when the writer fails. One write at a time.
   */
  write(max = MAX_BATCH, now = Date.now()): Promise<number> {
    if (this.inFlight !== undefined) return this.inFlight.then(() => this.write(max, now));
    if (this.closed) return Promise.reject(new Error('The message store is closed.'));
    if (!this.writePending) return Promise.resolve(0);
    const queue = this.queue;
    const start = queue.head;
    const count = Math.min(queue.length, max);
    const topicCount = this.newTopics.length;
    const everywhere = this.retention.pending;
    const job = this.pack(start, count, now);
    const attempt = this.writer.run(job).then(
      (result) => {
        this.newTopics.splice(0, topicCount);
        let bytes = 0;
        for (let i = start; i < start + count; i++) {
          const size = (queue.payloads[i] as Uint8Array).length;
          this.ledger.added(queue.topicIds[i] as number, queue.ids[i] as number, size);
          bytes += size;
        }
        for (let i = 0; i < result.deleted.length; i += 2) this.ledger.removed(result.deleted[i] as number, result.deleted[i + 1] as number);
        this.retention.scanned(result.cursor);
        queue.shift(count, bytes);
        return count;
      },
      (error: unknown) => {
        this.retention.failed(everywhere);
        throw error;
      },
    );
    this.inFlight = attempt.finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Writes until nothing is queued; rejects on the first failure. */
  async flush(): Promise<void> {
    while (this.writePending || this.inFlight !== undefined) await this.write();
  }

  /** Queue rows [start, start + count) as one job, payloads copied into one transferable buffer. */
  private pack(start: number, count: number, now: number): WriteJob {
    const queue = this.queue;
    const ids = new Float64Array(count);
    const topicIds = new Float64Array(count);
    const times = new Float64Array(count);
    const flags = new Uint8Array(count);
    const offsets = new Uint32Array(count + 1);
    const props: (Uint8Array | null)[] = new Array<Uint8Array | null>(count);
    const added = new Map<number, number>();
    let total = 0;
    for (let i = 0; i < count; i++) {
      const j = start + i;
      const topicId = queue.topicIds[j] as number;
      ids[i] = queue.ids[j] as number;
      topicIds[i] = topicId;
      times[i] = queue.times[j] as number;
      flags[i] = queue.flags[j] as number;
      props[i] = queue.props[j] ?? null;
      offsets[i] = total;
      total += (queue.payloads[j] as Uint8Array).length;
      added.set(topicId, (added.get(topicId) ?? 0) + 1);
    }
    offsets[count] = total;
    const bytes = new Uint8Array(total);
    for (let i = 0; i < count; i++) bytes.set(queue.payloads[start + i] as Uint8Array, offsets[i]);
    const bytesAfterInsert = this.ledger.bytes + total;
    return {
      topics: this.newTopics.map((id) => [id, this.topicNames[id] as string]),
      count,
      ids,
      topicIds,
      times,
      flags,
      offsets,
      bytes,
      props,
      trims: this.retention.trims(added),
      evict: this.retention.evict(bytesAfterInsert, now),
      bytesAfterInsert,
    };
  }

  /** Runs a PRAGMA on the writing connection (diagnostics; tests use it to simulate a full disk). */
  writerPragma(text: string): Promise<unknown> {
    return this.writer.pragma(text);
  }

  // ---- reads

  restoredTopics(): RestoredTopic[] {
    return this.reads.restoredTopics();
  }

  get(id: number): MessageRecord | undefined {
    return this.reads.get(id);
  }

  /** The newest message id of a topic, queued or stored; undefined when there is none. */
  latestId(topicId: number): number | undefined {
    const queue = this.queue;
    for (let i = queue.ids.length - 1; i >= queue.head; i--) if (queue.topicIds[i] === topicId) return queue.ids[i];
    const stored = this.ledger.latest(topicId);
    return stored === 0 ? undefined : stored;
  }

  history(topicId: number, beforeId: number | undefined, limit: number): MessageSummary[] {
    return this.reads.history(topicId, beforeId, limit);
  }

  /**
   * Ids of `topic` alone, its subtree, or the topics matching it when it is a filter such as
   * `plant/+/temp` or `#` (undefined = every topic).
   */
  selectTopics(topic: string, subtree: boolean): number[] | undefined {
    if (isFilter(topic)) return selectTopicIds(this.topicIds.entries(), topic, subtree);
    if (!subtree) {
      const id = this.topicIds.get(topic);
      return id === undefined ? [] : [id];
    }
    // On disk through the index, plus topics not written yet.
    const ids = this.reads.subtreeTopicIds(topic);
    const prefix = `${topic}/`;
    for (const id of this.newTopics) {
      const name = this.topicNames[id] as string;
      if (name === topic || name.startsWith(prefix)) ids.push(id);
    }
    return ids;
  }

  page(topicIds: number[] | undefined, from: number, to: number, limit: number): MessageSummary[] {
    return this.reads.page(topicIds, from, to, limit);
  }

  /** Waits for the write in progress, stops the writer and closes the file. Queued messages stay unwritten. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inFlight?.catch(() => undefined);
    try {
      await this.writer.close();
    } finally {
      if (this.db.open) this.db.close();
    }
  }
}
