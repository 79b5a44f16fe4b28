/**
 * The message store's SQLite file: one per connection profile, WAL. Rows are kept small: the topic
 * is an integer id into `topics`, QoS/retain/dup share one integer, and the payload (raw bytes,
 * never cut or re-encoded) is the last column so reading the others never walks its overflow pages.
 */
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS topics (
  id INTEGER PRIMARY KEY,
  topic TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY,
  topic_id INTEGER NOT NULL,
  time INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  size INTEGER NOT NULL,
  props BLOB,
  payload BLOB NOT NULL
);
-- (topic_id, rowid): the latest N of a topic and pages of its history before an id. Time ranges
-- need no index: ids grow with receive time (time-range.ts), and each index costs every insert.
CREATE INDEX IF NOT EXISTS messages_by_topic ON messages(topic_id);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('payload_bytes', 0);
`;

/** Bit layout of `messages.flags`. */
export const FLAG_QOS = 0b11;
export const FLAG_RETAIN = 0b100;
export const FLAG_DUP = 0b1000;

export interface OpenOptions {
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  // A short busy timeout: the engine's thread must not sit blocked for seconds on a lock; a busy
  // write fails fast and is retried with backoff.
  const db = new Database(file, { readonly: options.readonly === true, timeout: 100 });
  try {
    if (options.readonly === true) return db;
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives an app crash; only a power loss may lose the last transactions.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    db.pragma('journal_size_limit = 67108864');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`The message store ${file} was written by a newer version of Topograph (schema ${version}); update Topograph to open it.`);
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
