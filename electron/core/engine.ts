/**
 * The engine: everything Topograph does, in plain Node (never `electron`). Both hosts (Electron
 * main over IPC, the web host over WebSocket) call `engine.call` and forward `onDidEmit` batches.
 */
import { mkdirSync } from 'node:fs';
import type { ApiHandlers, EventBatch } from '../common/api';
import { dispatch } from '../common/dispatch';
import type { Result } from '../common/result';
import { createBrokerPart } from './broker';
import { createConnectionPart } from './connection';
import { createDataPart } from './data';
import { EventHub } from './events';
import { createProfilesPart } from './profiles';
import { createPublishPart } from './publish';
import type { EngineContext, ProfileLeftovers, SecretBox, Sessions } from './services';

export interface EngineOptions {
  dataDir: string;
  host: 'desktop' | 'web';
  version: string;
  secretBox: SecretBox;
  /** Event batch interval; default 100 ms. */
  flushMs?: number;
  /** Problems the host found before the engine started (the desktop app running unsandboxed, ...), as sentences. */
  problems?: string[];
}

export class Engine {
  readonly handlers: ApiHandlers;
  private readonly hub: EventHub;
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(options: EngineOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.hub = new EventHub(options.flushMs);
    const ctx: EngineContext = {
      dataDir: options.dataDir,
      host: options.host,
      version: options.version,
      events: this.hub,
      problems: [...(options.problems ?? [])],
      onFlush: (produce) => this.hub.addProducer(produce),
    };
    // The data part needs live sessions (to clear retained topics) and the connection part needs
    // the data part's recorders: bind the sessions late. Deleting a profile reaches both.
    const late: { sessions?: Sessions; leftovers?: ProfileLeftovers } = {};
    const lateSessions: Sessions = { live: (id) => (late.sessions as Sessions).live(id) };
    const lateLeftovers: ProfileLeftovers = { forget: (id) => (late.leftovers as ProfileLeftovers).forget(id) };

    const profiles = createProfilesPart(ctx, { secretBox: options.secretBox, leftovers: lateLeftovers });
    const data = createDataPart(ctx, { profiles: profiles.source, sessions: lateSessions });
    const connection = createConnectionPart(ctx, { profiles: profiles.source, recording: data.recording });
    const sessions = (late.sessions = connection.sessions);
    const publish = createPublishPart(ctx, { profiles: profiles.source, sessions });
    const broker = createBrokerPart(ctx, { sessions });
    late.leftovers = {
      forget: async (id) => {
        // The connection first: it records into the store that is about to be removed.
        try {
          await connection.handlers['connection.close']({ connectionId: id });
        } catch {
          // A socket that fails to close cleanly must not keep the store files on disk.
        }
        await data.forget(id);
        await publish.forget(id);
      },
    };
    // Close in reverse order of dependence: stop traffic first, then flush the store.
    this.closers.push(broker.close, publish.close, connection.close, data.close, profiles.close);

    this.handlers = {
      'app.info': () => ({
        version: options.version,
        host: options.host,
        platform: process.platform,
        dataDir: options.dataDir,
        secretStorage: { kind: options.secretBox.kind, ...(options.secretBox.warning ? { warning: options.secretBox.warning } : {}) },
        problems: [...ctx.problems],
      }),
      ...profiles.handlers,
      ...data.handlers,
      ...connection.handlers,
      ...publish.handlers,
      ...broker.handlers,
      // Counts and the write queue live with the data part; the connection part knows sockets.
      'connection.stats': () => data.stats(),
    };
    this.hub.start();
  }

  /** Validates and runs one request. Never throws. */
  call(method: unknown, params: unknown): Promise<Result<unknown>> {
    return dispatch(this.handlers, method, params);
  }

  onDidEmit(listener: (batch: EventBatch) => void): () => void {
    return this.hub.onDidEmit(listener);
  }

  async close(): Promise<void> {
    for (const close of this.closers) {
      try {
        await close();
      } catch {
        // Keep closing the rest: one part failing to close must not keep files or sockets open.
      }
    }
    this.hub.stop();
  }
}
