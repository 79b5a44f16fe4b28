/**
 * Retention, applied a little at a time inside each write transaction (never a full scan per
 * write): the topics a batch touched are trimmed to `maxPerTopic`; total bytes and age are brought
 * back under their limits from the oldest rows on, a bounded number per write. The latest message
 * of every topic is never deleted.
 */
import type Database from 'better-sqlite3';
import type { RetentionSettings } from '../../common/model';
import type { Ledger } from './ledger';

/** Rows deleted for size or age in one write at most, so a write stays short. */
const EVICT_BUDGET = 20_000;
const SCAN_PAGE = 1_000;
/** How often the oldest-first scan starts over, to reach rows that stopped being a topic's latest. */
const CURSOR_RESET_MS = 60_000;
/** Age is checked at most this often. */
const AGE_CHECK_MS = 1_000;

interface OldRow {
  id: number;
  topic_id: number;
  time: number;
  size: number;
}

export class Retention {
  private readonly trimTopic: Database.Statement<[number, number], { size: number }>;
  private readonly oldest: Database.Statement<[number, number], OldRow>;
  private readonly deleteOne: Database.Statement<[number]>;
  private readonly trimAll: Database.Statement<[], { topic_id: number }>;
  /** Rows up to this id were all a topic's latest when last scanned. */
  private cursor = 0;
  private cursorSetAt = 0;
  private lastAgeCheck = 0;

  constructor(
    db: Database.Database,
    private readonly ledger: Ledger,
    public settings: RetentionSettings,
  ) {
    this.trimTopic = db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE topic_id = ? ORDER BY id LIMIT ?) RETURNING size');
    this.oldest = db.prepare('SELECT id, topic_id, time, size FROM messages WHERE id > ? ORDER BY id LIMIT ?');
    this.deleteOne = db.prepare('DELETE FROM messages WHERE id = ?');
    this.trimAll = db.prepare('SELECT topic_id FROM messages GROUP BY topic_id HAVING count(*) > 1');
  }

  /** Inside a write transaction, after inserting a batch that touched `topics`. */
  apply(topics: Iterable<number>, now: number): void {
    for (const topicId of topics) this.trim(topicId);
    this.evictOldest(now, false);
  }

  /** Brings every topic under the current settings (at open, or when the settings change). */
  applyEverywhere(now: number): void {
    for (const { topic_id: topicId } of this.trimAll.all()) this.trim(topicId);
    this.cursor = 0;
    this.evictOldest(now, true);
  }

  private trim(topicId: number): void {
    const excess = this.ledger.count(topicId) - this.settings.maxPerTopic;
    if (excess <= 0) return;
    // maxPerTopic >= 1 and rows are deleted oldest first, so the latest stays.
    for (const row of this.trimTopic.all(topicId, excess)) this.ledger.removed(topicId, row.size);
  }

  private evictOldest(now: number, everything: boolean): void {
    const { maxBytes, maxAgeSeconds } = this.settings;
    const checkAge = maxAgeSeconds > 0 && (everything || Math.abs(now - this.lastAgeCheck) >= AGE_CHECK_MS);
    if (this.ledger.bytes <= maxBytes && !checkAge) return;
    if (checkAge) this.lastAgeCheck = now;
    if (Math.abs(now - this.cursorSetAt) >= CURSOR_RESET_MS) {
      this.cursor = 0;
      this.cursorSetAt = now;
    }
    const cutoff = maxAgeSeconds > 0 ? now - maxAgeSeconds * 1000 : -Infinity;
    let budget = everything ? Infinity : EVICT_BUDGET;
    for (;;) {
      const rows = this.oldest.all(this.cursor, SCAN_PAGE);
      if (rows.length === 0) return;
      for (const row of rows) {
        if (this.ledger.bytes <= maxBytes && (!checkAge || row.time >= cutoff)) return;
        if (budget-- <= 0) return;
        this.cursor = row.id;
        if (this.ledger.latest(row.topic_id) === row.id) continue;
        this.deleteOne.run(row.id);
        this.ledger.removed(row.topic_id, row.size);
      }
    }
  }

  /** After a failed transaction the scan position may point past rows that were restored. */
  rewind(): void {
    this.cursor = 0;
  }
}
