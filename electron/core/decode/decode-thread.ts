/**
 * Decodes large payloads in one long-lived worker thread, so a multi-megabyte JSON never stalls
 * the engine's event loop (MQTT ingest, keep-alives). Small payloads decode inline: the round
 * trip to the thread costs more than they do. Like the store's writer, the thread is started
 * from eval'd source text; if it cannot start or dies, decoding carries on inline.
 *
 * The thread runs `decode-worker.js`, the bundled worker-main.ts that the builds place next to
 * the engine bundle (out/web, out/main). Under vitest there is no bundle: the thread loads
 * worker-main.ts itself, with module hooks that resolve extensionless imports and compile TS.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId, Worker } from 'node:worker_threads';
import type { DecodedPayload } from '../../common/api';
import { cappedText } from './capped-text';
import { decodePayload, type DecodeOptions } from './index';
import type { DecodeReply, DecodeRequest } from './worker-protocol';

/** Payloads above this many bytes decode in the thread. */
export const THREAD_THRESHOLD = 256 * 1024;

export interface TracedDecode {
  decoded: DecodedPayload;
  /** The thread that decoded (tests check the work left the engine's thread). */
  threadId: number;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
if (workerData.compileTs) {
  const { registerHooks, stripTypeScriptTypes } = require('node:module');
  const { readFileSync } = require('node:fs');
  const { fileURLToPath } = require('node:url');
  process.removeAllListeners('warning');
  registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (!specifier.startsWith('.') || !context.parentURL || !context.parentURL.endsWith('.ts')) throw error;
        return next(specifier + '.ts', context);
      }
    },
    load(url, context, next) {
      if (!url.endsWith('.ts')) return next(url, context);
      const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'), { mode: 'transform' });
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
import(workerData.entry);
`;

/** The worker program next to this module: the bundle's, else the TS source (vitest). */
function workerEntry(): { entry: string; compileTs: boolean } | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'decode-worker.js');
  if (existsSync(built)) return { entry: pathToFileURL(built).href, compileTs: false };
  const source = path.join(here, 'worker-main.ts');
  if (existsSync(source)) return { entry: pathToFileURL(source).href, compileTs: true };
  return undefined;
}

/** A buffer of its own holding exactly these bytes, safe to transfer (detach) to the thread. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

export class DecodeThread {
  private worker: Worker | undefined;
  /** Set once the thread could not start or died: everything decodes inline from then on. */
  private inlineOnly = false;
  /** The caller's bytes stay here: the copies sent to the thread are detached. */
  private readonly pending = new Map<number, { payload: Uint8Array; options: DecodeOptions; maxChars: number | undefined; resolve: (value: TracedDecode) => void }>();
  private nextRequest = 1;

  constructor(private readonly threshold = THREAD_THRESHOLD) {}

  /** The payload decoded, its text cut at `maxChars` characters (never mid surrogate pair). */
  async decode(payload: Uint8Array, options: DecodeOptions, maxChars?: number): Promise<DecodedPayload> {
    return (await this.decodeTraced(payload, options, maxChars)).decoded;
  }

  decodeTraced(payload: Uint8Array, options: DecodeOptions, maxChars?: number): Promise<TracedDecode> {
    const worker = payload.byteLength > this.threshold ? this.ensureWorker() : undefined;
    if (worker === undefined) return Promise.resolve({ decoded: cappedText(decodePayload(payload, options), maxChars), threadId });
    const { birth, ...rest } = options;
    // Copied once into buffers of our own: the caller's bytes may be a view onto a shared or
    // pooled buffer (or a record the store still holds), which must not be detached.
    const request: DecodeRequest = {
      id: this.nextRequest++,
      payload: ownBuffer(payload),
      options: birth === undefined ? rest : { ...rest, birth: ownBuffer(birth) },
      ...(maxChars === undefined ? {} : { maxChars }),
    };
    return new Promise((resolve) => {
      this.pending.set(request.id, { payload, options, maxChars, resolve });
      worker.postMessage(request, request.options.birth === undefined ? [request.payload] : [request.payload, request.options.birth]);
    });
  }

  /** Ends the thread; later decodes start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.finishInline();
  }

  /** Decodes whatever the thread will no longer answer on this thread. */
  private finishInline(): void {
    for (const { payload, options, maxChars, resolve } of this.pending.values()) {
      resolve({ decoded: cappedText(decodePayload(payload, options), maxChars), threadId });
    }
    this.pending.clear();
  }

  /** Starts the thread on first use; undefined when it cannot run here. */
  private ensureWorker(): Worker | undefined {
    if (this.worker !== undefined || this.inlineOnly) return this.worker;
    const entry = workerEntry();
    if (entry === undefined) {
      this.inlineOnly = true;
      return undefined;
    }
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: entry });
    } catch {
      this.inlineOnly = true;
      return undefined;
    }
    worker.unref();
    worker.on('message', (reply: DecodeReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      waiting.resolve({ decoded: reply.decoded, threadId: reply.threadId });
    });
    const lost = (): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.inlineOnly = true;
      this.finishInline();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }
}
