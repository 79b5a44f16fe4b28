/**
 * In a browser: JSON-RPC 2.0 to the web host over one WebSocket (docs/API.md). It reconnects on
 * its own with backoff; calls made while the host is unreachable fail at once with an 'io' Result,
 * and calls in flight when the socket drops fail the same way, so the UI never waits forever.
 *
 * The socket itself comes from a factory, which keeps this file free of DOM types: the browser
 * passes one built on `WebSocket` (browser-socket.ts), tests may pass one built on `ws`.
 */
import { RPC_EVENTS_METHOD, type EventBatch, type MethodName, type ParamsOf, type ResultOf, type TopographApi } from '@common/api';
import { fail, type ErrorCode, type Result } from '@common/result';
import { fromWire, toWire } from '@common/wire';
import { StateEmitter, type TransportState } from './state';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** Called once, whether the socket never opened or closed later. */
  onClose(): void;
}

export interface SocketHandle {
  send(text: string): void;
  close(): void;
}

/** Opens one socket to the web host (with the token) and reports through `handlers`. */
export type SocketFactory = (handlers: SocketHandlers) => SocketHandle;

export interface WebSocketTransportOptions {
  connect: SocketFactory;
  /** Delay before the first retry, doubled per failed attempt up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
}

export const DISCONNECTED_MESSAGE =
  'Topograph lost its connection to the web host, so this request did not complete. It reconnects on its own; ' +
  'if it stays disconnected, check that the web host (npm run web) is still running, then reload the page.';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid-argument', 'unknown-method', 'not-found', 'not-connected', 'connection-failed', 'protocol',
  'refused-by-broker', 'storage', 'io', 'unauthorized', 'internal',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns one JSON-RPC response into the Result the caller gets. */
function toResult(message: Record<string, unknown>): Result<unknown> {
  const result = message.result;
  if (isRecord(result) && typeof result.ok === 'boolean') return result as Result<unknown>;
  const error = message.error;
  if (isRecord(error)) {
    const data = isRecord(error.data) ? error.data : {};
    const code = typeof data.code === 'string' && ERROR_CODES.has(data.code) ? (data.code as ErrorCode) : 'internal';
    const text = typeof error.message === 'string' ? error.message : 'The web host refused the request.';
    return fail(code, text);
  }
  return fail('internal', 'The web host sent an answer Topograph does not understand. Reload the page; if it persists, restart the web host.');
}

export class WebSocketTransport implements TopographApi {
  private readonly states = new StateEmitter('connecting');
  private readonly listeners = new Set<(batch: EventBatch) => void>();
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  /** Requests made while connecting, sent on open. */
  private queued: string[] = [];
  private socket: SocketHandle | undefined;
  private nextId = 1;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(private readonly options: WebSocketTransportOptions) {
    // Slow enough that a tab holding an old token (the host was restarted) stays under the host's
    // 10 wrong tokens a minute, which would otherwise lock out the new address in this browser too.
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.open();
  }

  get state(): TransportState {
    return this.states.state;
  }

  onState(listener: (state: TransportState) => void): () => void {
    return this.states.on(listener);
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    if (this.stopped || this.states.state === 'disconnected') {
      return Promise.resolve(fail('io', DISCONNECTED_MESSAGE));
    }
    const id = this.nextId++;
    let text: string;
    try {
      text = toWire({ jsonrpc: '2.0', id, method, params });
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return Promise.resolve(fail('invalid-argument', `Topograph could not send ${method}: ${cause}.`));
    }
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: Result<unknown>) => void);
      if (this.states.state === 'connected' && this.socket) this.socket.send(text);
      else this.queued.push(text);
    });
  }

  onEvents(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops for good: fails what is pending and does not reconnect. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.dropped();
  }

  private open(): void {
    this.states.set('connecting');
    let socket: SocketHandle | undefined;
    let done = false;
    // Events of a socket that was replaced or closed on purpose are ignored.
    const current = (): boolean => !done && this.socket === socket && socket !== undefined;
    const handlers: SocketHandlers = {
      onOpen: () => {
        if (!current()) return;
        this.failures = 0;
        this.states.set('connected');
        const queued = this.queued;
        this.queued = [];
        for (const text of queued) socket?.send(text);
      },
      onMessage: (text) => {
        if (current()) this.receive(text);
      },
      onClose: () => {
        if (!current()) return;
        done = true;
        this.socket = undefined;
        this.dropped();
        this.scheduleRetry();
      },
    };
    try {
      socket = this.options.connect(handlers);
      this.socket = socket;
    } catch {
      // A refused URL or a CSP block throws at once: same as a failed attempt.
      this.dropped();
      this.scheduleRetry();
    }
  }

  private dropped(): void {
    this.states.set('disconnected');
    this.queued = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of pending) resolve(fail('io', DISCONNECTED_MESSAGE));
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) this.open();
    }, delay);
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = fromWire(text);
    } catch {
      return; // Not ours to answer: the host only sends JSON.
    }
    if (!isRecord(message)) return;
    if (message.method === RPC_EVENTS_METHOD && Array.isArray(message.params)) {
      const batch = message.params as EventBatch;
      for (const listener of [...this.listeners]) {
        try {
          listener(batch);
        } catch (error) {
          console.error('An event listener failed:', error);
        }
      }
      return;
    }
    if (typeof message.id !== 'number') return;
    const resolve = this.pending.get(message.id);
    if (!resolve) return;
    this.pending.delete(message.id);
    resolve(toResult(message));
  }
}
