/**
 * Exports a topic, subtree or filter in a time range to JSON Lines or CSV, streaming: rows come
 * from an iterator on a read-only connection of their own (WAL lets the writer carry on) and go
 * out in chunks that wait for the file stream to drain, so memory stays flat at any size.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { QoS, ReceivedProperties } from '../../common/model';
import { decodeProperties } from './properties';
import { FLAG_DUP, FLAG_QOS, FLAG_RETAIN, openDatabase } from './schema';
import { idRangeFinder } from './time-range';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportRequest {
  /** Topic ids to include; undefined = every topic. */
  topicIds: number[] | undefined;
  from?: number;
  to?: number;
  format: ExportFormat;
  filePath: string;
}

interface ExportRow {
  id: number;
  topic_id: number;
  time: number;
  flags: number;
  props: Uint8Array | null;
  payload: Uint8Array;
}

const CHUNK_CHARS = 1 << 20;

export const CSV_HEADER = 'id,time,iso_time,topic,qos,retain,dup,payload_encoding,payload,properties\n';

/** A payload as text when it is valid UTF-8, else base64; the encoding travels with it. */
export function payloadText(payload: Uint8Array): { encoding: 'utf8' | 'base64'; text: string } {
  const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return isUtf8(buffer) ? { encoding: 'utf8', text: buffer.toString('utf8') } : { encoding: 'base64', text: buffer.toString('base64') };
}

/** Properties as JSON-friendly values: correlation data as base64. */
function exportedProperties(properties: ReceivedProperties): Record<string, unknown> {
  const out: Record<string, unknown> = { ...properties };
  if (properties.correlationData !== undefined) {
    const data = properties.correlationData;
    out.correlationData = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }
  return out;
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function formatRow(row: ExportRow, topic: string, format: ExportFormat): string {
  const payload = payloadText(row.payload);
  const properties = exportedProperties(decodeProperties(row.props));
  const qos = (row.flags & FLAG_QOS) as QoS;
  const retain = (row.flags & FLAG_RETAIN) !== 0;
  const dup = (row.flags & FLAG_DUP) !== 0;
  const isoTime = new Date(row.time).toISOString();
  if (format === 'jsonl') {
    return `${JSON.stringify({ id: row.id, time: row.time, isoTime, topic, qos, retain, dup, payloadEncoding: payload.encoding, payload: payload.text, properties })}\n`;
  }
  const props = Object.keys(properties).length === 0 ? '' : JSON.stringify(properties);
  return `${row.id},${row.time},${isoTime},${csvField(topic)},${qos},${retain},${dup},${payload.encoding},${csvField(payload.text)},${csvField(props)}\n`;
}

/** Writes the export; resolves with the number of messages written. */
export async function exportMessages(dbFile: string, topicName: (topicId: number) => string, request: ExportRequest): Promise<number> {
  const db = openDatabase(dbFile, { readonly: true });
  const out = createWriteStream(request.filePath, { flags: 'w' });
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let rows = 0;
  try {
    const range = idRangeFinder(db)(request.from, request.to);
    const where = ['id >= ?', 'id < ?', 'time >= ?', 'time <= ?'];
    const params: (number | string)[] = [range.from, range.until, request.from ?? Number.MIN_SAFE_INTEGER, request.to ?? Number.MAX_SAFE_INTEGER];
    if (request.topicIds !== undefined) {
      where.push('topic_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(request.topicIds));
    }
    const statement = db.prepare<(number | string)[], ExportRow>(
      `SELECT id, topic_id, time, flags, props, payload FROM messages WHERE ${where.join(' AND ')} ORDER BY id`,
    );
    let chunk = request.format === 'csv' ? CSV_HEADER : '';
    for (const row of statement.iterate(...params)) {
      chunk += formatRow(row, topicName(row.topic_id), request.format);
      rows++;
      if (chunk.length >= CHUNK_CHARS) {
        const drained = out.write(chunk);
        chunk = '';
        await Promise.race([drained ? yieldToLoop() : once(out, 'drain'), failed]);
      }
    }
    out.end(chunk);
    await Promise.race([once(out, 'finish'), failed]);
    return rows;
  } catch (error) {
    out.destroy();
    throw error;
  } finally {
    db.close();
  }
}
