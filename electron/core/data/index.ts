/**
 * The data part: one recorder (topic tree + message store) per connection profile, the handlers
 * that read them, and the per-flush events: one tree delta per connection with changes, and the
 * stats of every recorder.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RetentionSettings } from '../../common/model';
import type { ConnectionStats } from '../../common/session';
import { DecodeThread } from '../decode/decode-thread';
import { DEFAULT_FLUSH_MS } from '../events';
import type { Part } from '../parts';
import type { EngineContext, ProfileSource, Recording, Sessions } from '../services';
import { databaseFiles, describeOpenError, MessageStore, removeDatabaseFiles, type WriterMode } from '../store';
import { messageHandlers } from './message-handlers';
import { DEFAULT_LIMITS, Recorder, type RecorderLimits } from './recorder';
import { treeHandlers } from './tree-handlers';

export { DEFAULT_LIMITS, Recorder, type RecorderLimits } from './recorder';

export interface DataPart extends Part<'tree' | 'retained' | 'messages'> {
  recording: Recording;
  /** Stats of every open recorder (what `connection.stats` answers). */
  stats(): ConnectionStats[];
  /**
   * Closes the recorder of a deleted profile and removes its store files. A file that cannot be
   * removed is reported as an `app.problem`; never rejects.
   */
  forget(connectionId: string): Promise<void>;
}

export interface DataPartOptions {
  /** Queue bounds and write timing; the defaults suit production, tests shrink them. */
  limits?: RecorderLimits;
  /** Where SQLite writes run; default: a worker thread per store. */
  writer?: WriterMode;
}

/** A file name for a connection id: ids are ours, but a path must never leave the folder. */
export function storeFileName(connectionId: string): string {
  const plain = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(connectionId);
  return `${plain ? connectionId : `id-${Buffer.from(connectionId, 'utf8').toString('hex')}`}.sqlite`;
}

/** The database and the files SQLite keeps beside it. */
export const storeFiles = databaseFiles;

const sameRetention = (a: RetentionSettings, b: RetentionSettings): boolean =>
  a.maxPerTopic === b.maxPerTopic && a.maxBytes === b.maxBytes && a.maxAgeSeconds === b.maxAgeSeconds;

export function createDataPart(ctx: EngineContext, deps: { profiles: ProfileSource; sessions: Sessions }, options: DataPartOptions = {}): DataPart {
  const messagesDir = path.join(ctx.dataDir, 'messages');
  const recorders = new Map<string, Recorder>();
  const decoder = new DecodeThread();

  const open = (connectionId: string, retention: RetentionSettings): Recorder => {
    const existing = recorders.get(connectionId);
    if (existing !== undefined) {
      if (!sameRetention(existing.retentionSettings, retention)) existing.setRetention(retention);
      return existing;
    }
    const file = path.join(messagesDir, storeFileName(connectionId));
    // A store that cannot open does not stop the connection: the recorder runs tree-only and retries.
    const openStore = (settings: RetentionSettings): MessageStore => {
      try {
        mkdirSync(messagesDir, { recursive: true });
        return MessageStore.open(file, settings, options.writer === undefined ? {} : { writer: options.writer });
      } catch (error) {
        throw new Error(describeOpenError(error, file));
      }
    };
    const recorder = new Recorder(connectionId, { open: openStore, retention }, ctx.events, options.limits ?? DEFAULT_LIMITS);
    recorders.set(connectionId, recorder);
    return recorder;
  };

  /** A handler may read a profile's recorded tree and history without connecting. */
  const recorderFor = (connectionId: string): Recorder => recorders.get(connectionId) ?? open(connectionId, deps.profiles.get(connectionId).retention);

  const stats = (): ConnectionStats[] => [...recorders.values()].map((recorder) => recorder.stats());

  const forget = async (connectionId: string): Promise<void> => {
    const recorder = recorders.get(connectionId);
    // Out of the map first, so no flush reports a recorder that is closing.
    recorders.delete(connectionId);
    // A store that fails to close still gets its files removed, or a removal failure reported.
    await recorder?.close().catch(() => undefined);
    const failed = removeDatabaseFiles(path.join(messagesDir, storeFileName(connectionId)));
    if (failed.length === 0) return;
    ctx.events.emit({
      type: 'app.problem',
      message:
        `The profile was deleted, but the messages recorded for it could not be removed from ${failed.join(', ')}. ` +
        `Delete ${failed.length === 1 ? 'that file' : 'those files'} by hand; Topograph no longer uses ${failed.length === 1 ? 'it' : 'them'}.`,
    });
  };

  let lastStats = '';
  const produce = (): void => {
    for (const recorder of recorders.values()) {
      const delta = recorder.tree.takeDelta();
      if (delta !== undefined) ctx.events.emit({ type: 'tree.delta', delta });
    }
    // Once a recorder was shown, an empty list is news too (its profile was deleted).
    if (recorders.size === 0 && lastStats === '') return;
    const current = stats();
    const key = JSON.stringify(current);
    if (key === lastStats) return;
    lastStats = key;
    ctx.events.emit({ type: 'connection.stats', stats: current });
  };
  let stopProducing: () => void;
  if (ctx.onFlush !== undefined) {
    stopProducing = ctx.onFlush(produce);
  } else {
    const timer = setInterval(produce, DEFAULT_FLUSH_MS);
    timer.unref();
    stopProducing = () => clearInterval(timer);
  }

  return {
    recording: { recorder: open },
    stats,
    forget,
    handlers: {
      ...treeHandlers(recorderFor, deps.sessions, ctx.events),
      ...messageHandlers(recorderFor, ctx.dataDir, decoder),
    },
    close: async () => {
      stopProducing();
      await Promise.all([...recorders.values()].map((recorder) => recorder.close()).concat(decoder.close()));
      recorders.clear();
    },
  };
}
