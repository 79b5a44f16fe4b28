/**
 * The protocol log of one connection: every packet sent and received, in a bounded ring.
 * Recording keeps a redacted, shortened copy (O(1) per packet: no hex dumps, no JSON);
 * summaries and details are rendered only when someone reads the log.
 */
import type { Packet } from 'mqtt';
import { hexCode, reasonCodeName, returnCodeName, type AckPacketType } from '../../common/reason-codes';
import type { ProtocolLogEntry } from '../../common/session';

export const DEFAULT_LOG_CAPACITY = 5000;
/** Bytes kept of a payload, correlation data or other binary field. */
const KEPT_BYTES = 64;
const KEPT_CHARS = 1000;
const REDACTED = '‹redacted›';

interface Shortened {
  bytes: number;
  head: Buffer;
}

/**
 * One ring entry. Slots are reused and a PUBLISH is stored in plain fields, its payload's first
 * bytes in one shared slab: at tens of thousands of messages a second nothing is allocated per
 * PUBLISH (the copies it once made were a fifth of the engine's garbage), and only the last
 * `capacity` entries are ever read.
 */
interface Slot {
  seq: number;
  time: number;
  direction: 'in' | 'out';
  /** The shortened copy of any packet but PUBLISH; undefined for a PUBLISH, whose fields follow. */
  packet: Record<string, unknown> | undefined;
  topic: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  messageId: number | undefined;
  payloadBytes: number;
  headLength: number;
  properties: unknown;
}

const newSlot = (): Slot => ({
  seq: 0,
  time: 0,
  direction: 'in',
  packet: undefined,
  topic: '',
  qos: 0,
  retain: false,
  dup: false,
  messageId: undefined,
  payloadBytes: 0,
  headLength: 0,
  properties: undefined,
});

export class ProtocolLog {
  private readonly ring: (Slot | undefined)[];
  /** KEPT_BYTES per slot: the first bytes of each PUBLISH payload. */
  private readonly heads: Buffer;
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity = DEFAULT_LOG_CAPACITY) {
    this.ring = new Array<Slot | undefined>(capacity);
    this.heads = Buffer.alloc(capacity * KEPT_BYTES);
  }

  add(direction: 'in' | 'out', packet: Packet, time = Date.now()): void {
    this.seq += 1;
    const index = this.next;
    let slot = this.ring[index];
    if (slot === undefined) this.ring[index] = slot = newSlot();
    slot.seq = this.seq;
    slot.time = time;
    slot.direction = direction;
    if (packet.cmd === 'publish') {
      slot.packet = undefined;
      slot.topic = packet.topic;
      slot.qos = packet.qos;
      slot.retain = packet.retain;
      slot.dup = packet.dup;
      slot.messageId = packet.messageId;
      slot.properties = packet.properties === undefined ? undefined : shorten(packet.properties, 1);
      const payload = packet.payload;
      const offset = index * KEPT_BYTES;
      if (typeof payload === 'string') {
        slot.payloadBytes = Buffer.byteLength(payload);
        slot.headLength = this.heads.write(payload.slice(0, KEPT_BYTES), offset, KEPT_BYTES, 'utf8');
      } else {
        slot.payloadBytes = payload.length;
        slot.headLength = Math.min(KEPT_BYTES, payload.length);
        this.heads.set(payload.subarray(0, slot.headLength), offset);
      }
    } else {
      slot.packet = keepShort(packet);
      slot.properties = undefined;
    }
    this.next = (index + 1) % this.capacity;
  }

  /** Entries after `afterSeq` (oldest first, at most `limit`); without it, the latest `limit`. */
  get(afterSeq: number | undefined, limit: number): ProtocolLogEntry[] {
    const all = this.ordered();
    const picked = afterSeq === undefined ? all.slice(-limit) : all.filter((index) => (this.ring[index] as Slot).seq > afterSeq).slice(0, limit);
    return picked.map((index) => this.render(index));
  }

  /** Every entry as JSON lines, oldest first. */
  exportText(): string {
    return this.ordered()
      .map((index) => JSON.stringify(this.render(index)))
      .join('\n');
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Ring indexes of the entries, oldest first. */
  private ordered(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const index = (this.next + i) % this.capacity;
      if (this.ring[index] !== undefined) out.push(index);
    }
    return out;
  }

  private render(index: number): ProtocolLogEntry {
    const slot = this.ring[index] as Slot;
    return render(slot.seq, slot.time, slot.direction, slot.packet ?? this.publishRecord(slot, index));
  }

  /** A stored PUBLISH as the shortened copy the renderers read. */
  private publishRecord(slot: Slot, index: number): Record<string, unknown> {
    const offset = index * KEPT_BYTES;
    const record: Record<string, unknown> = {
      cmd: 'publish',
      topic: slot.topic,
      qos: slot.qos,
      retain: slot.retain,
      dup: slot.dup,
      payload: { bytes: slot.payloadBytes, head: Buffer.from(this.heads.subarray(offset, offset + slot.headLength)) } satisfies Shortened,
    };
    if (slot.messageId !== undefined) record.messageId = slot.messageId;
    if (slot.properties !== undefined) record.properties = slot.properties;
    return record;
  }
}

/** A copy of a packet other than PUBLISH that holds no secret and at most KEPT_BYTES of any binary field. */
function keepShort(packet: Packet): Record<string, unknown> {
  const copy = shorten(packet, 0) as Record<string, unknown>;
  if (packet.cmd === 'connect') {
    if (packet.password !== undefined) copy.password = REDACTED;
    redactAuthData(copy.properties);
  } else if (packet.cmd === 'auth') {
    redactAuthData(copy.properties);
  }
  return copy;
}

function redactAuthData(properties: unknown): void {
  if (properties !== null && typeof properties === 'object' && 'authenticationData' in properties) {
    (properties as Record<string, unknown>).authenticationData = REDACTED;
  }
}

function shorten(value: unknown, depth: number): unknown {
  if (value instanceof Uint8Array) {
    // A copy, so the log never pins a large received chunk in memory.
    return { bytes: value.length, head: Buffer.from(value.subarray(0, KEPT_BYTES)) } satisfies Shortened;
  }
  if (typeof value === 'string') return value.length > KEPT_CHARS ? `${value.slice(0, KEPT_CHARS)}…` : value;
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => shorten(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = shorten((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

function render(seq: number, time: number, direction: 'in' | 'out', packet: Record<string, unknown>): ProtocolLogEntry {
  return {
    seq,
    time,
    direction,
    type: String(packet.cmd),
    summary: summarize(packet),
    detail: renderValue(packet) as Record<string, unknown>,
  };
}

function isShortened(value: unknown): value is Shortened {
  return value !== null && typeof value === 'object' && 'head' in value && Buffer.isBuffer((value as Shortened).head);
}

function renderBytes(value: Shortened): Record<string, unknown> {
  const text = value.head.toString('utf8');
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  return {
    bytes: value.bytes,
    hex: value.head.toString('hex').replace(/(..)(?!$)/g, '$1 '),
    ...(printable ? { text } : {}),
    ...(value.bytes > value.head.length ? { cut: true } : {}),
  };
}

function renderValue(value: unknown): unknown {
  if (isShortened(value)) return renderBytes(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(renderValue);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = renderValue(item);
  }
  return out;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const bytesOf = (value: unknown): number => (isShortened(value) ? value.bytes : typeof value === 'string' ? Buffer.byteLength(value) : 0);

function withReason(packet: Record<string, unknown>, type: AckPacketType): string {
  const code = num(packet.reasonCode);
  const properties = packet.properties as Record<string, unknown> | undefined;
  const reason = properties?.reasonString ? ` "${str(properties.reasonString)}"` : '';
  return code === undefined ? reason : ` ${reasonCodeName(type, code)} (${hexCode(code)})${reason}`;
}

function summarize(p: Record<string, unknown>): string {
  const id = num(p.messageId) === undefined ? '' : ` id ${String(p.messageId)}`;
  switch (p.cmd) {
    case 'connect': {
      const parts = [`MQTT ${p.protocolVersion === 5 ? '5' : p.protocolVersion === 3 ? '3.1' : '3.1.1'}`, `client id "${str(p.clientId)}"`];
      parts.push(p.clean ? 'clean start' : 'resume session', `keep alive ${String(p.keepalive)} s`);
      if (p.username !== undefined) parts.push(`user "${str(p.username)}"`);
      if (p.password !== undefined) parts.push(`password ${REDACTED}`);
      const will = p.will as Record<string, unknown> | undefined;
      if (will) parts.push(`will on ${str(will.topic)}`);
      return `CONNECT ${parts.join(', ')}`;
    }
    case 'connack': {
      const rc = num(p.reasonCode);
      const code = rc !== undefined ? `${reasonCodeName('connack', rc)} (${hexCode(rc)})` : returnCodeName(num(p.returnCode) ?? 0);
      return `CONNACK ${code}${p.sessionPresent ? ', session present' : ''}`;
    }
    case 'publish': {
      const properties = p.properties as Record<string, unknown> | undefined;
      const alias = properties?.topicAlias === undefined ? '' : `, alias ${String(properties.topicAlias)}`;
      const flags = `QoS ${String(p.qos)}${id}${p.retain ? ', retain' : ''}${p.dup ? ', dup' : ''}${alias}`;
      return `PUBLISH ${str(p.topic) || '(alias only)'} (${flags}, ${bytesOf(p.payload)} bytes)`;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return `${p.cmd.toUpperCase()}${id}${withReason(p, p.cmd)}`;
    case 'subscribe': {
      const subs = (p.subscriptions as Record<string, unknown>[] | undefined) ?? [];
      const list = subs.map((s) => {
        const opts = [`QoS ${String(s.qos)}`, s.nl ? 'no local' : '', s.rap ? 'retain as published' : '', s.rh ? `retain handling ${String(s.rh)}` : ''];
        return `${str(s.topic)} (${opts.filter(Boolean).join(', ')})`;
      });
      return `SUBSCRIBE${id} ${list.join('; ')}`;
    }
    case 'suback':
    case 'unsuback': {
      const codes = ((p.granted as unknown[] | undefined) ?? []).map((code) =>
        typeof code === 'number' ? `${reasonCodeName(p.cmd as 'suback', code)} (${hexCode(code)})` : '',
      );
      return `${p.cmd.toUpperCase()}${id}${codes.length > 0 ? ` ${codes.join('; ')}` : ''}`;
    }
    case 'unsubscribe':
      return `UNSUBSCRIBE${id} ${((p.unsubscriptions as string[] | undefined) ?? []).join('; ')}`;
    case 'disconnect':
      return `DISCONNECT${withReason(p, 'disconnect')}`;
    case 'auth':
      return `AUTH${withReason(p, 'auth')}`;
    default:
      return String(p.cmd).toUpperCase();
  }
}
