/**
 * Reading the store: single messages, history pages, subtree pages, the tree's restore. Messages
 * still queued (or being written) are served from the queue, so a reader never misses one; rows on
 * disk are only read below the first queued id, so none is served twice.
 */
import type Database from 'better-sqlite3';
import type { MessageRecord, MessageSummary, QoS } from '../../common/model';
import { makePreview, PREVIEW_SOURCE_BYTES } from '../tree/preview';
import type { RestoredTopic } from '../tree/topic-tree';
import { decodeProperties } from './properties';
import { FLAG_DUP, FLAG_QOS, FLAG_RETAIN } from './schema';
import { idRangeFinder } from './time-range';
import type { WriteQueue } from './write-queue';

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
  topic_id: number;
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

const qosOf = (flags: number): QoS => (flags & FLAG_QOS) as QoS;
/**
 * A payload in a buffer of its own: a received one is a slice of a larger socket chunk, and
 * Electron's structured clone would carry the whole underlying buffer across IPC.
 */
const ownBytes = (value: Uint8Array): Uint8Array => new Uint8Array(value);
const HEAD = `substr(payload, 1, ${PREVIEW_SOURCE_BYTES}) AS head`;

export class StoreReads {
  private readonly statements;
  private readonly idRange: ReturnType<typeof idRangeFinder>;

  constructor(
    private readonly db: Database.Database,
    private readonly queue: WriteQueue,
    private readonly topicName: (topicId: number) => string,
    /** Messages with a smaller id were recorded in an earlier run. */
    private readonly firstIdThisRun: number,
  ) {
    this.statements = {
      get: db.prepare<[number], FullRow>('SELECT id, topic_id, time, flags, props, payload FROM messages WHERE id = ?'),
      history: db.prepare<[number, number, number], SummaryRow>(
        `SELECT id, topic_id, time, flags, size, ${HEAD} FROM messages WHERE topic_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
      // Only what the filter needs, as arrays: a subtree page may walk thousands of rows for 100.
      newestFirst: db
        .prepare<[number, number], [number, number, number]>('SELECT id, topic_id, time FROM messages WHERE id >= ? AND id < ? ORDER BY id DESC')
        .raw(),
      summary: db.prepare<[number], SummaryRow>(`SELECT id, topic_id, time, flags, size, ${HEAD} FROM messages WHERE id = ?`),
      subtreeTopics: db
        .prepare<[string, string, string], number>('SELECT id FROM topics WHERE topic = ? OR (topic >= ? AND topic < ?)')
        .pluck(),
    };
    this.idRange = idRangeFinder(db);
  }

  /** Rows on disk below this id are not in the queue. */
  private get diskBelow(): number {
    const queue = this.queue;
    return queue.length > 0 ? (queue.ids[queue.head] as number) : Number.MAX_SAFE_INTEGER;
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
    return rows.map((row) => {
      const preview = makePreview(row.head, row.size);
      return {
        topic: this.topicName(row.topic_id),
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
      };
    });
  }

  /** One message with its payload and properties, queued or on disk. */
  get(id: number): MessageRecord | undefined {
    const queue = this.queue;
    const index = queue.indexOf(id);
    if (index >= 0) {
      const payload = queue.payloads[index] as Uint8Array;
      return this.record(id, queue.topicIds[index] as number, queue.times[index] as number, queue.flags[index] as number, queue.props[index] ?? null, ownBytes(payload));
    }
    const row = this.statements.get.get(id);
    if (row === undefined) return undefined;
    return this.record(row.id, row.topic_id, row.time, row.flags, row.props, ownBytes(row.payload));
  }

  private record(id: number, topicId: number, time: number, flags: number, props: Uint8Array | null, payload: Uint8Array): MessageRecord {
    return {
      id,
      topic: this.topicName(topicId),
      payload,
      time,
      qos: qosOf(flags),
      retain: (flags & FLAG_RETAIN) !== 0,
      dup: (flags & FLAG_DUP) !== 0,
      properties: decodeProperties(props),
      recorded: id < this.firstIdThisRun,
    };
  }

  /** A page of a topic's history, newest first, older than `beforeId`. */
  history(topicId: number, beforeId: number | undefined, limit: number): MessageSummary[] {
    const before = beforeId ?? Number.MAX_SAFE_INTEGER;
    const out: MessageSummary[] = [];
    const queue = this.queue;
    // Queued messages are newer than anything on disk.
    for (let i = queue.ids.length - 1; i >= queue.head && out.length < limit; i--) {
      const id = queue.ids[i] as number;
      if (queue.topicIds[i] !== topicId || id >= before) continue;
      const payload = queue.payloads[i] as Uint8Array;
      out.push(this.summary(id, topicId, queue.times[i] as number, queue.flags[i] as number, payload.length, payload));
    }
    if (out.length < limit) {
      for (const row of this.statements.history.all(topicId, Math.min(before, this.diskBelow), limit - out.length)) {
        out.push(this.summary(row.id, row.topic_id, row.time, row.flags, row.size, row.head));
      }
    }
    return out;
  }

  private summary(id: number, topicId: number, time: number, flags: number, size: number, head: Uint8Array): MessageSummary {
    const preview = makePreview(head, size);
    const topic = this.topicName(topicId);
    return { id, topic, time, size, qos: qosOf(flags), retain: (flags & FLAG_RETAIN) !== 0, preview: preview.text, previewCut: preview.cut };
  }

  /** Ids of the stored topics at or below `topic` (the topics table's index holds them in order). */
  subtreeTopicIds(topic: string): number[] {
    // '0' follows '/' in byte order: [topic/, topic0) is everything below topic.
    return this.statements.subtreeTopics.all(topic, `${topic}/`, `${topic}0`);
  }

  /**
   * The newest `limit` stored messages of some topics (undefined = all) received in [from, to],
   * newest first: walks the range's rows from its end, newest first, until `limit` match.
   */
  page(topicIds: number[] | undefined, from: number, to: number, limit: number): MessageSummary[] {
    const out: MessageSummary[] = [];
    const range = this.idRange(from, to);
    const wanted = topicIds === undefined ? undefined : new Set(topicIds);
    const ids: number[] = [];
    for (const [id, topicId, time] of this.statements.newestFirst.iterate(range.from, Math.min(range.until, this.diskBelow))) {
      if (time < from || time > to || (wanted !== undefined && !wanted.has(topicId))) continue;
      ids.push(id);
      if (ids.length >= limit) break;
    }
    for (const id of ids) {
      const row = this.statements.summary.get(id);
      if (row !== undefined) out.push(this.summary(row.id, row.topic_id, row.time, row.flags, row.size, row.head));
    }
    return out;
  }
}
