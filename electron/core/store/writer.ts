/**
 * Runs the store's write jobs: in a worker thread by default, so SQLite's work overlaps with
 * receiving and the engine's event loop never waits on a transaction; inline for tests and tools.
 * Both run the same `writerProgram`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { transferList, type WriteJob, type WriteResult } from './write-job';
import { writerProgram, type WriterProgram } from './writer-program';

export interface StoreWriter {
  /** Runs one job in one transaction; rejects with an Error carrying SQLite's `code` on failure. */
  run(job: WriteJob): Promise<WriteResult>;
  /** Runs a PRAGMA on the writing connection (diagnostics and tests) and returns its simple result. */
  pragma(text: string): Promise<unknown>;
  close(): Promise<void>;
}

export type WriterMode = 'worker' | 'inline';

export function createWriter(file: string, mode: WriterMode): StoreWriter {
  return mode === 'worker' ? new WorkerWriter(file) : new InlineWriter(file);
}

/** An Error that keeps SQLite's code across the thread boundary. */
function storeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

class InlineWriter implements StoreWriter {
  private readonly program: WriterProgram;

  constructor(file: string) {
    this.program = writerProgram(Database as unknown as Parameters<typeof writerProgram>[0], file);
  }

  async run(job: WriteJob): Promise<WriteResult> {
    return this.program.run(job);
  }

  async pragma(text: string): Promise<unknown> {
    return this.program.pragma(text);
  }

  async close(): Promise<void> {
    this.program.close();
  }
}

type Request = { type: 'run'; job: WriteJob } | { type: 'pragma'; text: string } | { type: 'close' };
type Reply = { type: 'done'; id: number; result: unknown } | { type: 'failed'; id: number; code: string; message: string };

// The worker's whole program: the writer built from its own source text, and a message loop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const program = (${writerProgram.toString()})(require(workerData.sqlitePath), workerData.file);
parentPort.on('message', ({ id, request }) => {
  try {
    const result = request.type === 'run' ? program.run(request.job) : request.type === 'pragma' ? program.pragma(request.text) : program.close();
    parentPort.postMessage({ type: 'done', id, result: result === undefined ? null : result });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id, code: String((error && error.code) || ''), message: String((error && error.message) || error) });
  }
});
`;

/**
 * Writes through a worker thread. If the thread itself cannot run (not SQLite failing, the thread:
 * e.g. a packaged app where it cannot load the SQLite module), later jobs run inline instead.
 */
class WorkerWriter implements StoreWriter {
  private worker: Worker | undefined;
  private inline: InlineWriter | undefined;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextRequest = 1;
  private readonly sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(private readonly file: string) {}

  /** Starts the worker, again after a crash. */
  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlitePath: this.sqlitePath, file: this.file } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.type === 'done') waiting.resolve(reply.result);
      else waiting.reject(storeError(reply.code, reply.message));
    });
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // The failed job is retried by the store, rebuilt from its queue; it then runs here.
      try {
        this.inline ??= new InlineWriter(this.file);
      } catch {
        // The file cannot be opened here either: the next job starts a new thread and reports why.
      }
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => lost(storeError((error as { code?: string }).code ?? 'WORKER', error.message)));
    worker.on('exit', (code) => lost(storeError('WORKER', `The message store's writer thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private request(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request }, transfer);
    });
  }

  async run(job: WriteJob): Promise<WriteResult> {
    if (this.inline !== undefined) return this.inline.run(job);
    return (await this.request({ type: 'run', job }, transferList(job))) as WriteResult;
  }

  pragma(text: string): Promise<unknown> {
    if (this.inline !== undefined) return this.inline.pragma(text);
    return this.request({ type: 'pragma', text });
  }

  async close(): Promise<void> {
    await this.inline?.close();
    const worker = this.worker;
    if (worker === undefined) return;
    try {
      await this.request({ type: 'close' });
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }
}
