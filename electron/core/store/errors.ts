/** Store failures as sentences a person can act on. */

/** SQLite's error code (better-sqlite3 puts it on `code`), e.g. SQLITE_FULL. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const KEEPING =
  'Topograph keeps the topic tree live and retries writing; after a few seconds it reads on from the broker, and messages that do not fit the write queue are shown in the tree but not recorded.';

export function describeStoreError(error: unknown, file: string): string {
  const code = sqliteCode(error) ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_FULL')) return `The message store ${file} cannot grow: the disk is full. Free some disk space. ${KEEPING}`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return `The message store ${file} cannot be written (${detail}). Check that the file and its folder are writable. ${KEEPING}`;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `The message store ${file} is locked by another program (${detail}). Close the other program using it. ${KEEPING}`;
  }
  return `Writing to the message store ${file} failed (${code || 'error'}: ${detail}). ${KEEPING}`;
}

export function describeOpenError(error: unknown, file: string): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `The message store ${file} could not be opened (${detail}). Check that the data folder is writable and the file is not damaged; move the file aside to start with an empty history. Until it opens, the topic tree stays live but received messages are not recorded; Topograph keeps trying to open it.`;
}
