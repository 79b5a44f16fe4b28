/**
 * Every publish a person made, per profile, in `<dataDir>/publish/<connectionId>.sqlite`: the
 * request as written (so it can be sent again exactly) with the broker's answer. Bounded by count
 * and by payload bytes; the newest entry always stays.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { publishRequest, type PublishHistoryEntry, type PublishRequest, type RepeatSummary } from '../../common/api';
import { ApiFailure } from '../../common/result';
import type { PublishOutcome } from '../../common/session';
import { fromWire, toWire } from '../../common/wire';
import { removeDatabaseFiles } from '../store';

export interface HistoryLimits {
  maxEntries: number;
  /** Total bytes of stored requests. */
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxEntries: 5_000, maxBytes: 256 * 1024 * 1024 };
/** How much of a payload's text is searchable. */
const SEARCH_CHARS = 64 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  search TEXT NOT NULL,
  request TEXT NOT NULL,
  size INTEGER NOT NULL,
  outcome TEXT,
  error TEXT,
  repeat_summary TEXT
);`;

interface Row {
  id: number;
  time: number;
  request: string;
  outcome: string | null;
  error: string | null;
  repeat_summary: string | null;
}

/** What one history entry records besides the request. */
export interface HistoryResult {
  outcome?: PublishOutcome;
  error?: string;
  /** Present when the entry stands for a whole repeat job. */
  repeat?: RepeatSummary;
}

/** A file name that cannot leave the folder, whatever the id holds. */
export function fileNameFor(connectionId: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(connectionId)) return `${connectionId}.sqlite`;
  return `x-${[...new TextEncoder().encode(connectionId)].map((b) => b.toString(16).padStart(2, '0')).join('')}.sqlite`;
}

function searchText(request: PublishRequest): string {
  const payload = request.payload.format === 'bytes' ? '' : request.payload.value.slice(0, SEARCH_CHARS);
  return `${request.topic}\n${payload}`.toLowerCase();
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

class HistoryFile {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly trimCount: Database.Statement;
  private readonly trimBytes: Database.Statement;

  constructor(file: string, limits: HistoryLimits) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    // Files written before repeat jobs were summarised lack the column.
    const columns = this.db.prepare('PRAGMA table_info(history)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'repeat_summary')) this.db.exec('ALTER TABLE history ADD COLUMN repeat_summary TEXT');
    this.insert = this.db.prepare('INSERT INTO history (time, search, request, size, outcome, error, repeat_summary) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.trimCount = this.db.prepare(`DELETE FROM history WHERE id <= (SELECT id FROM history ORDER BY id DESC LIMIT 1 OFFSET ${limits.maxEntries})`);
    this.trimBytes = this.db.prepare(
      `DELETE FROM history WHERE id IN (
         SELECT id FROM (SELECT id, SUM(size) OVER (ORDER BY id DESC) AS running FROM history)
         WHERE running > ${limits.maxBytes} AND id < (SELECT MAX(id) FROM history))`,
    );
  }

  add(time: number, request: PublishRequest, result: HistoryResult): number {
    const text = toWire(request);
    const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
    return this.db.transaction(() => {
      const info = this.insert.run(time, searchText(request), text, text.length, json(result.outcome), result.error ?? null, json(result.repeat));
      this.trimCount.run();
      this.trimBytes.run();
      return Number(info.lastInsertRowid);
    })();
  }

  list(connectionId: string, query: string, limit: number): PublishHistoryEntry[] {
    const rows = (
      query.trim() === ''
        ? this.db.prepare('SELECT id, time, request, outcome, error, repeat_summary FROM history ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare("SELECT id, time, request, outcome, error, repeat_summary FROM history WHERE search LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?")
            .all(`%${escapeLike(query.trim().toLowerCase())}%`, limit)
    ) as Row[];
    const entries: PublishHistoryEntry[] = [];
    for (const row of rows) {
      // A row another version wrote in a shape this one cannot read is skipped, not fatal.
      const parsed = publishRequest.safeParse(fromWire(row.request));
      if (!parsed.success) continue;
      entries.push({
        id: row.id,
        connectionId,
        time: row.time,
        request: parsed.data,
        ...(row.outcome === null ? {} : { outcome: JSON.parse(row.outcome) as PublishOutcome }),
        ...(row.error === null ? {} : { error: row.error }),
        ...(row.repeat_summary === null ? {} : { repeat: JSON.parse(row.repeat_summary) as RepeatSummary }),
      });
    }
    return entries;
  }

  close(): void {
    this.db.close();
  }
}

export class PublishHistory {
  private readonly files = new Map<string, HistoryFile>();
  private readonly folder: string;

  constructor(
    dataDir: string,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {
    this.folder = path.join(dataDir, 'publish');
  }

  private file(connectionId: string): HistoryFile {
    let file = this.files.get(connectionId);
    if (file === undefined) {
      try {
        mkdirSync(this.folder, { recursive: true });
        file = new HistoryFile(path.join(this.folder, fileNameFor(connectionId)), this.limits);
      } catch (error) {
        throw new ApiFailure(
          'storage',
          `The publish history could not be opened: ${(error as Error).message}. Check that ${this.folder} is writable and the disk is not full.`,
        );
      }
      this.files.set(connectionId, file);
    }
    return file;
  }

  add(connectionId: string, request: PublishRequest, result: HistoryResult, time = Date.now()): number {
    return this.file(connectionId).add(time, request, result);
  }

  list(connectionId: string, query: string, limit: number): PublishHistoryEntry[] {
    return this.file(connectionId).list(connectionId, query, limit);
  }

  /**
   * Closes the history of a deleted profile and removes its files. Answers the files that could
   * not be removed, each with why, for the caller to report; never throws.
   */
  forget(connectionId: string): string[] {
    const open = this.files.get(connectionId);
    this.files.delete(connectionId);
    try {
      open?.close();
    } catch {
      // A database that fails to close still gets its files removed, or the failure reported.
    }
    return removeDatabaseFiles(path.join(this.folder, fileNameFor(connectionId)));
  }

  close(): void {
    for (const file of this.files.values()) file.close();
    this.files.clear();
  }
}
