/**
 * The small JSON files of the data dir (profiles, secrets, settings): written atomically, and
 * when one cannot be read it is kept aside under a new name and reported — never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiFailure } from '../../common/result';

const TEMP_MARK = '.tmp-';

/**
 * Writes `text` to `path` so that a crash or a full disk leaves either the old file or the new
 * one, never half of each: temp file in the same folder, fsync, rename over the target.
 * Synchronous on purpose: these files are a few KB, and a synchronous write keeps saves in
 * order without a queue and means a save has reached the disk when it answers.
 */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const temp = `${path}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    // 'wx': never follow or reuse an existing file; the mode applies from creation on, so a
    // secrets file is never readable by others, not even for a moment.
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created or is already renamed.
    }
    throw error;
  }
  syncFolder(dirname(path));
}

/** Makes the rename itself durable; not possible on Windows, where it is not needed. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort only.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes temp files a crash left behind next to `path`. */
export function removeStaleTempFiles(path: string): void {
  const prefix = basename(path) + TEMP_MARK;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      // Another copy of the app may be writing it right now.
    }
  }
}

export type JsonRead =
  | { state: 'missing' }
  | { state: 'read'; value: unknown }
  /** Unreadable or not JSON; `reason` says why. */
  | { state: 'broken'; reason: string };

/**
 * `secret`: the parser's message quotes the text near the error, which must not travel to the
 * UI from a file of secrets, so it is left out.
 */
export function readJsonFile(path: string, options: { secret?: boolean } = {}): JsonRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { state: 'missing' };
    return { state: 'broken', reason: errorText(error) };
  }
  try {
    return { state: 'read', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { state: 'broken', reason: options.secret ? 'it is not valid JSON' : `it is not valid JSON (${errorText(error)})` };
  }
}

/**
 * Keeps a file that could not be used under `<name>.<tag>-<timestamp>` (tag: "corrupt" unless
 * told) so the person can recover it. `copy` leaves the original in place (used when part of it
 * was still usable, or as a backup before a migration). Returns the kept path, or undefined when
 * even that failed.
 */
export function keepAside(path: string, options: { copy?: boolean; tag?: string } = {}): string | undefined {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = `${path}.${options.tag ?? 'corrupt'}-${stamp}`;
  let kept = base;
  for (let n = 2; existsSync(kept); n++) kept = `${base}-${n}`;
  try {
    if (options.copy) copyFileSync(path, kept);
    else renameSync(path, kept);
    return kept;
  } catch {
    return undefined;
  }
}

/** Turns a failed write into a sentence the person can act on. */
export function storageFailure(what: string, path: string, error: unknown): ApiFailure {
  return new ApiFailure(
    'storage',
    `Topograph could not save ${what} to ${path} (${errorText(error)}). Check that the data folder is writable and the disk has free space, then try again.`,
  );
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

export interface BrokenFile {
  /** e.g. "connection profiles". */
  what: string;
  /** Why it could not be used, as a clause: "it is not valid JSON (...)". */
  reason: string;
  /** What the app does instead, as a clause: "Topograph started with no saved profiles". */
  consequence: string;
}

/**
 * Moves a file that cannot be used out of the way and tells the person where it went.
 * Returns false when it could not be moved: the caller must then not write over it.
 */
export function setAside(path: string, broken: BrokenFile, problems: string[], options: { copy?: boolean } = {}): boolean {
  const kept = keepAside(path, options);
  const head = `Topograph could not read its ${broken.what} from ${path}: ${broken.reason}.`;
  if (kept === undefined) {
    problems.push(
      `${head} The file could not be kept aside either, so Topograph will not change it; ${broken.consequence}. Check the permissions of the data folder and restart Topograph.`,
    );
    return false;
  }
  problems.push(
    `${head} The original is kept as ${kept}; ${broken.consequence}. To recover it, repair that file and copy it back to ${basename(path)} while Topograph is closed.`,
  );
  return true;
}
