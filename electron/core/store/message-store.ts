/**
 * The message store of one connection profile: `<dataDir>/messages/<connectionId>.sqlite`.
 * Messages get their id when received (so the tree can show it at once) and wait in a queue until
 * `write()` puts a batch on disk in one transaction. Reads see queued messages too.
 */
import type Database from 'better-sqlite3';
import type { MessageRecord, MessageSummary, QoS, ReceivedProperties, RetentionSettings } from '../../common/model';
import { makePreview, PREVIEW_SOURCE_BYTES } from '../tree/preview';
import type { RestoredTopic } from '../tree/topic-tree';
import { Ledger } from './ledger';
import { decodeProperties, encodeProperties } from './properties';
import { Retention } from './retention';
import { FLAG_DUP, FLAG_QOS, FLAG_RETAIN, openDatabase } from './schema';
import { WriteQueue } from './write-queue';

export interface IncomingMessage {
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties: ReceivedProperties | undefined;
  time: number;
}

interface FullRow {
  id: number;
  topic_id: number;
  time: number;
  flags: number;
  props: Uint8Array | null;
  payload: Uint8Array;
}

interface SummaryRow {
  id: number;
  time: number;
  flags: number;
  size: number;
  head: Uint8Array;
}

interface RestoreRow {
  topic_id: number;
  count: number;
  last_id: number;
  first_time: number;
  time: number;
  flags: number;
  size: number;
  head: Uint8Array;
}

type BindValue = number | Uint8Array | null;
const INSERT = 'INSERT INTO messages(id, topic_id, time, flags, size, props, payload) VALUES';
const ROW = '(?, ?, ?, ?, ?, ?, ?)';
const ROWS_PER_INSERT = 64;

/** Rows per write transaction at most; the rest waits for the next write. */
export const MAX_BATCH = 50_000;

const toFlags = (qos: QoS, retain: boolean, dup: boolean): number => qos | (retain ? FLAG_RETAIN : 0) | (dup ? FLAG_DUP : 0);
const qosOf = (flags: number): QoS => (flags & FLAG_QOS) as QoS;
/** SQLite hands back Buffers; callers get plain views on the same memory. */
const bytesOf = (value: Uint8Array): Uint8Array => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

export class MessageStore {
  readonly queue = new WriteQueue();
  private readonly topicIds = new Map<string, number>();
  private readonly topicNames: string[] = [];
  private readonly newTopics: number[] = [];
  private nextId: number;
  private nextTopicId: number;
  /** Messages with a smaller id were recorded in an earlier run. */
  readonly firstIdThisRun: number;
  private readonly ledger = new Ledger();
  private readonly retention: Retention;
  private readonly statements;
  private readonly bindings: BindValue[] = new Array<BindValue>(ROWS_PER_INSERT * 7).fill(null);

  private constructor(
    readonly file: string,
    readonly db: Database.Database,
    retention: RetentionSettings,
  ) {
    this.statements = {
      insertTopic: db.prepare<[number, string]>('INSERT INTO topics(id, topic) VALUES (?, ?)'),
      insert: db.prepare<[number, number, number, number, number, Uint8Array | null, Uint8Array]>(`${INSERT} ${ROW}`),
      // Many rows per statement: the per-call cost of the binding is paid once per ROWS_PER_INSERT rows.
      insertMany: db.prepare<[BindValue[]]>(`${INSERT} ${Array.from({ length: ROWS_PER_INSERT }, () => ROW).join(', ')}`),
      setBytes: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'payload_bytes'"),
      get: db.prepare<[number], FullRow>('SELECT id, topic_id, time, flags, props, payload FROM messages WHERE id = ?'),
      history: db.prepare<[number, number, number], SummaryRow>(
        `SELECT id, time, flags, size, substr(payload, 1, ${PREVIEW_SOURCE_BYTES}) AS head FROM messages WHERE topic_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
    };
    for (const row of db.prepare('SELECT id, topic FROM topics').all() as { id: number; topic: string }[]) {
      this.topicIds.set(row.topic, row.id);
      this.topicNames[row.id] = row.topic;
    }
    this.nextTopicId = (db.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM topics').get() as { next: number }).next;
    this.nextId = (db.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM messages').get() as { next: number }).next;
    this.firstIdThisRun = this.nextId;
    for (const row of db.prepare('SELECT topic_id, count(*) AS count, max(id) AS last FROM messages GROUP BY topic_id').all() as {
      topic_id: number;
      count: number;
      last: number;
    }[]) {
      this.ledger.load(row.topic_id, row.count, row.last);
    }
    this.ledger.bytes = (db.prepare("SELECT value FROM meta WHERE key = 'payload_bytes'").get() as { value: number }).value;
    this.retention = new Retention(db, this.ledger, retention);
  }

  static open(file: string, retention: RetentionSettings): MessageStore {
    const db = openDatabase(file);
    try {
      const store = new MessageStore(file, db, retention);
      store.applyRetention(retention);
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get retentionSettings(): RetentionSettings {
    return this.retention.settings;
  }

  /** Applies (new) settings to everything on disk now; later writes keep them incrementally. */
  applyRetention(settings: RetentionSettings, now = Date.now()): void {
    this.retention.settings = settings;
    this.transaction(() => this.retention.applyEverywhere(now));
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

  /** Writes up to `max` queued messages in one transaction; throws (and keeps them queued) on failure. */
  write(max = MAX_BATCH, now = Date.now()): number {
    const queue = this.queue;
    const count = Math.min(queue.length, max);
    if (count === 0 && this.newTopics.length === 0) return 0;
    const start = queue.head;
    const end = start + count;
    let bytes = 0;
    const { insert, insertMany, insertTopic } = this.statements;
    const ledger = this.ledger;
    const args = this.bindings;
    this.transaction(() => {
      for (const topicId of this.newTopics) insertTopic.run(topicId, this.topicNames[topicId] as string);
      const touched = new Set<number>();
      let i = start;
      for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
        for (let row = 0, o = 0; row < ROWS_PER_INSERT; row++, o += 7) {
          const j = i + row;
          const topicId = queue.topicIds[j] as number;
          const payload = queue.payloads[j] as Uint8Array;
          args[o] = queue.ids[j] as number;
          args[o + 1] = topicId;
          args[o + 2] = queue.times[j] as number;
          args[o + 3] = queue.flags[j] as number;
          args[o + 4] = payload.length;
          args[o + 5] = queue.props[j] ?? null;
          args[o + 6] = payload;
        }
        insertMany.run(args);
      }
      for (; i < end; i++) {
        const payload = queue.payloads[i] as Uint8Array;
        insert.run(queue.ids[i] as number, queue.topicIds[i] as number, queue.times[i] as number, queue.flags[i] as number, payload.length, queue.props[i] ?? null, payload);
      }
      for (let j = start; j < end; j++) {
        const topicId = queue.topicIds[j] as number;
        const size = (queue.payloads[j] as Uint8Array).length;
        ledger.added(topicId, queue.ids[j] as number, size);
        touched.add(topicId);
        bytes += size;
      }
      // Bound payloads must not outlive the write.
      args.fill(null);
      this.retention.apply(touched, now);
    });
    this.newTopics.length = 0;
    queue.shift(count, bytes);
    return count;
  }

  /** Runs `work` in a transaction that also saves the byte total; undoes the ledger on failure. */
  private transaction(work: () => void): void {
    this.ledger.begin();
    try {
      this.db.transaction(() => {
        work();
        this.statements.setBytes.run(this.ledger.bytes);
      })();
      this.ledger.commit();
    } catch (error) {
      this.ledger.rollback();
      this.retention.rewind();
      throw error;
    }
  }

  /** The latest message of each topic with its count: what the tree shows after a restart. */
  restoredTopics(): RestoredTopic[] {
    const rows = this.db
      .prepare<[], RestoreRow>(
        `SELECT g.topic_id, g.count, g.last_id, f.time AS first_time, m.time, m.flags, m.size,
                substr(m.payload, 1, ${PREVIEW_SOURCE_BYTES}) AS head
         FROM (SELECT topic_id, count(*) AS count, max(id) AS last_id, min(id) AS first_id FROM messages GROUP BY topic_id) g
         JOIN messages m ON m.id = g.last_id
         JOIN messages f ON f.id = g.first_id`,
      )
      .all();
    const out: RestoredTopic[] = [];
    for (const row of rows) {
      const topic = this.topicNames[row.topic_id];
      if (topic === undefined) continue;
      const preview = makePreview(row.head, row.size);
      out.push({
        topic,
        topicId: row.topic_id,
        count: row.count,
        firstSeen: row.first_time,
        lastId: row.last_id,
        lastTime: row.time,
        lastSize: row.size,
        lastQos: qosOf(row.flags),
        lastRetain: (row.flags & FLAG_RETAIN) !== 0,
        preview: preview.text,
        previewCut: preview.cut,
      });
    }
    return out;
  }

  /** One message with its payload and properties, queued or on disk. */
  get(id: number): MessageRecord | undefined {
    const queue = this.queue;
    const index = queue.indexOf(id);
    if (index >= 0) {
      const flags = queue.flags[index] as number;
      return this.record(id, queue.topicIds[index] as number, queue.times[index] as number, flags, queue.props[index] ?? null, queue.payloads[index] as Uint8Array);
    }
    const row = this.statements.get.get(id);
    if (row === undefined) return undefined;
    return this.record(row.id, row.topic_id, row.time, row.flags, row.props, bytesOf(row.payload));
  }

  private record(id: number, topicId: number, time: number, flags: number, props: Uint8Array | null, payload: Uint8Array): MessageRecord {
    return {
      id,
      topic: this.topicNames[topicId] ?? '',
      payload,
      time,
      qos: qosOf(flags),
      retain: (flags & FLAG_RETAIN) !== 0,
      dup: (flags & FLAG_DUP) !== 0,
      properties: decodeProperties(props),
      recorded: id < this.firstIdThisRun,
    };
  }

  /** The newest message id of a topic, queued or stored; undefined when there is none. */
  latestId(topicId: number): number | undefined {
    const queue = this.queue;
    for (let i = queue.ids.length - 1; i >= queue.head; i--) if (queue.topicIds[i] === topicId) return queue.ids[i];
    const stored = this.ledger.latest(topicId);
    return stored === 0 ? undefined : stored;
  }

  /** A page of a topic's history, newest first, older than `beforeId`. */
  history(topicId: number, beforeId: number | undefined, limit: number): MessageSummary[] {
    const before = beforeId ?? Number.MAX_SAFE_INTEGER;
    const topic = this.topicNames[topicId] ?? '';
    const out: MessageSummary[] = [];
    const queue = this.queue;
    // Queued messages are newer than anything on disk.
    for (let i = queue.ids.length - 1; i >= queue.head && out.length < limit; i--) {
      const id = queue.ids[i] as number;
      if (queue.topicIds[i] !== topicId || id >= before) continue;
      const payload = queue.payloads[i] as Uint8Array;
      out.push(this.summary(id, topic, queue.times[i] as number, queue.flags[i] as number, payload.length, payload));
    }
    if (out.length < limit) {
      for (const row of this.statements.history.all(topicId, before, limit - out.length)) {
        out.push(this.summary(row.id, topic, row.time, row.flags, row.size, row.head));
      }
    }
    return out;
  }

  private summary(id: number, topic: string, time: number, flags: number, size: number, head: Uint8Array): MessageSummary {
    const preview = makePreview(head, size);
    return { id, topic, time, size, qos: qosOf(flags), retain: (flags & FLAG_RETAIN) !== 0, preview: preview.text, previewCut: preview.cut };
  }

  /** The newest `limit` messages of some topics (undefined = all) in a time range, newest first. */
  page(topicIds: number[] | undefined, from: number, to: number, limit: number): MessageSummary[] {
    const where = topicIds === undefined ? '' : 'AND topic_id IN (SELECT value FROM json_each(?))';
    const statement = this.db.prepare<(number | string)[], SummaryRow & { topic_id: number }>(
      `SELECT id, topic_id, time, flags, size, substr(payload, 1, ${PREVIEW_SOURCE_BYTES}) AS head FROM messages
       WHERE time >= ? AND time <= ? ${where} ORDER BY id DESC LIMIT ?`,
    );
    const params: (number | string)[] = topicIds === undefined ? [from, to, limit] : [from, to, JSON.stringify(topicIds), limit];
    return statement.all(...params).map((row) => this.summary(row.id, this.topicNames[row.topic_id] ?? '', row.time, row.flags, row.size, row.head));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
