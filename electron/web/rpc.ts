/**
 * JSON-RPC 2.0 over the web host's WebSocket. The JSON-RPC `result` of a request is the engine's
 * Result object as it is ({ ok, value } or { ok: false, error }); JSON-RPC `error` is kept for what
 * never reached the engine: unparsable text, a malformed envelope, an unknown method.
 */
import { RPC_EVENTS_METHOD, type EventBatch } from '../common/api';
import type { Result } from '../common/result';
import { fromWire, toWire } from '../common/wire';

export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_NOT_FOUND = -32601;
export const RPC_INTERNAL_ERROR = -32603;
/** A batch (array) may hold at most this many requests. */
export const MAX_BATCH = 100;

export interface RpcEngine {
  call(method: unknown, params: unknown): Promise<Result<unknown>>;
}

type RpcId = string | number | null;
type RpcResponse =
  | { jsonrpc: '2.0'; id: RpcId; result: Result<unknown> }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: string; data?: unknown } };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is RpcId =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

const rpcError = (id: RpcId, code: number, message: string, data?: unknown): RpcResponse =>
  data === undefined ? { jsonrpc: '2.0', id, error: { code, message } } : { jsonrpc: '2.0', id, error: { code, message, data } };

/** Answers one request object; undefined for a notification (no `id`), which gets no answer. */
async function answer(engine: RpcEngine, message: unknown): Promise<RpcResponse | undefined> {
  if (!isRecord(message)) {
    return rpcError(null, RPC_INVALID_REQUEST, 'Invalid request: expected a JSON-RPC 2.0 request object.');
  }
  const hasId = Object.prototype.hasOwnProperty.call(message, 'id');
  const id = hasId && isId(message.id) ? message.id : null;
  if (message.jsonrpc !== '2.0' || typeof message.method !== 'string' || (hasId && !isId(message.id))) {
    return rpcError(
      id,
      RPC_INVALID_REQUEST,
      'Invalid request: send {"jsonrpc": "2.0", "id": <number or string>, "method": "<name>", "params": {...}}.',
    );
  }
  let result: Result<unknown>;
  try {
    result = await engine.call(message.method, message.params);
  } catch (error) {
    // engine.call never throws by contract; this keeps one broken part from closing the socket.
    const text = error instanceof Error ? error.message : String(error);
    return hasId ? rpcError(id, RPC_INTERNAL_ERROR, `Topograph hit an internal error: ${text}`) : undefined;
  }
  if (!hasId) return undefined;
  if (!result.ok && result.error.code === 'unknown-method') {
    return rpcError(id, RPC_METHOD_NOT_FOUND, result.error.message, result.error);
  }
  return { jsonrpc: '2.0', id, result };
}

/** Encodes a response; a value JSON cannot carry becomes an internal error for the same id. */
function encode(response: RpcResponse): string {
  try {
    return toWire(response);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return toWire(rpcError(response.id, RPC_INTERNAL_ERROR, `Topograph could not encode the answer: ${text}`));
  }
}

/**
 * Handles one WebSocket text message (a request, a notification or a batch) and returns the text
 * to send back, or undefined when nothing is owed (notifications only).
 */
export async function handleRpcText(engine: RpcEngine, text: string): Promise<string | undefined> {
  let message: unknown;
  try {
    message = fromWire(text);
  } catch {
    return toWire(rpcError(null, RPC_PARSE_ERROR, 'Parse error: the message is not valid JSON (or holds a malformed $bytes value).'));
  }
  if (!Array.isArray(message)) {
    const response = await answer(engine, message);
    return response && encode(response);
  }
  if (message.length === 0 || message.length > MAX_BATCH) {
    return toWire(rpcError(null, RPC_INVALID_REQUEST, `Invalid request: a batch holds 1 to ${MAX_BATCH} requests.`));
  }
  const responses = (await Promise.all(message.map((one) => answer(engine, one)))).filter(
    (response): response is RpcResponse => response !== undefined,
  );
  if (responses.length === 0) return undefined;
  return `[${responses.map(encode).join(',')}]`;
}

/** The notification that carries one event batch, encoded once for every socket. */
export const encodeEventBatch = (batch: EventBatch): string =>
  toWire({ jsonrpc: '2.0', method: RPC_EVENTS_METHOD, params: batch });
