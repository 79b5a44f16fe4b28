/**
 * The SQLite side of writing: run one WriteJob in one transaction. It runs in a worker thread (so
 * the engine's thread never blocks on SQLite) and, for tests and tools, inline.
 *
 * `writerProgram` must stay self-contained: the worker is started from its source text
 * (`writerProgram.toString()`), so it may use only its parameters and globals, never an import or
 * anything else from this module.
 */
import type { WriteJob, WriteResult } from './write-job';

export interface WriterProgram {
  run(job: WriteJob): WriteResult;
  pragma(text: string): unknown;
  close(): void;
}

type DatabaseConstructor = new (file: string, options: { timeout: number }) => {
  pragma(text: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  close(): void;
};

export function writerProgram(Database: DatabaseConstructor, file: string): WriterProgram {
  const ROWS = 64;
  const SCAN_PAGE = 1000;
  const db = new Database(file, { timeout: 100 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32000');
  db.pragma('journal_size_limit = 67108864');
  const insertSql = 'INSERT INTO messages(id, topic_id, time, flags, size, props, payload) VALUES ';
  const row = '(?, ?, ?, ?, ?, ?, ?)';
  const insertOne = db.prepare(insertSql + row);
  const insertMany = db.prepare(insertSql + new Array(ROWS).fill(row).join(', '));
  const insertTopic = db.prepare('INSERT INTO topics(id, topic) VALUES (?, ?)');
  const trimTopic = db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE topic_id = ? ORDER BY id LIMIT ?) RETURNING size');
  const oldest = db.prepare('SELECT id, topic_id, time, size FROM messages WHERE id > ? ORDER BY id LIMIT ?');
  const latestOf = db.prepare('SELECT max(id) AS id FROM messages WHERE topic_id = ?');
  const deleteOne = db.prepare('DELETE FROM messages WHERE id = ?');
  const setBytes = db.prepare("UPDATE meta SET value = ? WHERE key = 'payload_bytes'");
  const args: unknown[] = new Array(ROWS * 7).fill(null);

  function insertRows(job: WriteJob): void {
    const { ids, topicIds, times, flags, offsets, bytes, props, count } = job;
    const payload = (i: number): Uint8Array => bytes.subarray(offsets[i] as number, offsets[i + 1] as number);
    let i = 0;
    for (; i + ROWS <= count; i += ROWS) {
      for (let r = 0, o = 0; r < ROWS; r++, o += 7) {
        const j = i + r;
        const body = payload(j);
        args[o] = ids[j];
        args[o + 1] = topicIds[j];
        args[o + 2] = times[j];
        args[o + 3] = flags[j];
        args[o + 4] = body.length;
        args[o + 5] = props[j] ?? null;
        args[o + 6] = body;
      }
      insertMany.run(args);
    }
    for (; i < count; i++) {
      const body = payload(i);
      insertOne.run(ids[i], topicIds[i], times[i], flags[i], body.length, props[i] ?? null, body);
    }
    args.fill(null);
  }

  function run(job: WriteJob): WriteResult {
    const deleted: number[] = [];
    let bytes = job.bytesAfterInsert;
    let cursor = job.evict === null ? 0 : job.evict.cursor;
    db.transaction(() => {
      for (const [id, topic] of job.topics) insertTopic.run(id, topic);
      insertRows(job);
      for (let t = 0; t < job.trims.length; t += 2) {
        const topicId = job.trims[t] as number;
        for (const r of trimTopic.all(topicId, job.trims[t + 1]) as { size: number }[]) {
          deleted.push(topicId, r.size);
          bytes -= r.size;
        }
      }
      const evict = job.evict;
      if (evict !== null) {
        let budget = evict.budget ?? Number.POSITIVE_INFINITY;
        scan: for (;;) {
          const rows = oldest.all(cursor, SCAN_PAGE) as { id: number; topic_id: number; time: number; size: number }[];
          if (rows.length === 0) break;
          for (const r of rows) {
            if (bytes <= evict.maxBytes && (evict.cutoff === null || r.time >= evict.cutoff)) break scan;
            if (budget-- <= 0) break scan;
            cursor = r.id;
            // The latest message of a topic always stays.
            if ((latestOf.get(r.topic_id) as { id: number }).id === r.id) continue;
            deleteOne.run(r.id);
            deleted.push(r.topic_id, r.size);
            bytes -= r.size;
          }
        }
      }
      setBytes.run(bytes);
    })();
    return { written: job.count, deleted, cursor, bytes };
  }

  return {
    run,
    pragma: (text) => db.pragma(text, { simple: true }),
    close: () => db.close(),
  };
}
