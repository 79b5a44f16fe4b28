/** The files of one SQLite database, for the parts that remove a profile's databases. */
import { rmSync } from 'node:fs';

/** The database and the files SQLite keeps beside it (WAL mode; a journal left by a crash). */
export const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/** Removes a (closed) database and its companions; returns "file (code)" for each that could not go. */
export function removeDatabaseFiles(file: string): string[] {
  const failed: string[] = [];
  for (const each of databaseFiles(file)) {
    try {
      rmSync(each, { force: true });
    } catch (error) {
      failed.push(`${each} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return failed;
}
