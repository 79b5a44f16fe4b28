/** messages.*: single messages, history pages, decoding on demand and streaming exports. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { MessageRecord } from '../../common/model';
import { ApiFailure } from '../../common/result';
import type { DecodeThread } from '../decode/decode-thread';
import type { HandlersFor } from '../parts';
import { describeStoreError, exportMessages, type MessageStore } from '../store';
import type { Recorder } from './recorder';

function messageOf(store: MessageStore, id: number): MessageRecord {
  // Id 0 is what the tree shows for a message received while the store could not open (recorder.ts).
  if (id === 0) throw new ApiFailure('not-found', 'This message was received while the message store could not be opened, so it was not recorded. Pick a message received since.');
  const record = store.get(id);
  if (record === undefined) {
    throw new ApiFailure('not-found', `Message ${id} is not in the store; retention may have removed it. Pick a newer message from the history.`);
  }
  return record;
}

/**
 * The NBIRTH/DBIRTH that defines the metrics of a Sparkplug B message: the latest one of the same
 * edge node (or device) received before it. Topics: spBv1.0/{group}/{type}/{edge node}[/{device}].
 */
function sparkplugBirth(store: MessageStore, record: MessageRecord): Uint8Array | undefined {
  const levels = record.topic.split('/');
  if (levels[0] !== 'spBv1.0' || levels.length < 4) return undefined;
  const [, group, type, edge, device] = levels;
  if (type === undefined || type.length < 2) return undefined;
  const birthTopic = type.startsWith('D') && device !== undefined ? `spBv1.0/${group}/DBIRTH/${edge}/${device}` : `spBv1.0/${group}/NBIRTH/${edge}`;
  const topicId = store.knownTopicId(birthTopic);
  if (topicId === undefined) return undefined;
  const [birth] = store.history(topicId, record.id + 1, 1);
  return birth === undefined ? undefined : store.get(birth.id)?.payload;
}

/** The record with at most `max` payload bytes; a cut record says so and carries the full size. */
function capped(record: MessageRecord, max: number | undefined): MessageRecord {
  if (max === undefined || record.payload.length <= max) return record;
  return { ...record, payload: record.payload.subarray(0, max), payloadTruncated: true, payloadSize: record.payload.length };
}

const fileSafe = (text: string): string => text.replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'all';
/**
 * Where a named export goes. The name comes from the renderer or a web client, neither trusted with
 * the file system: it must stay inside the exports folder.
 */
function exportTarget(exportsDir: string, filePath: string): string {
  const target = path.resolve(exportsDir, filePath);
  const inside = path.relative(exportsDir, target);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw new ApiFailure(
      'invalid-argument',
      `The export cannot be written to ${target}: exports go only into ${exportsDir}. Give a file name inside that folder, or none for a generated one.`,
    );
  }
  return target;
}

/** Ids of the listed topics the store knows; a topic never received is skipped (it has no rows to export). */
function exactTopicIds(store: MessageStore, topics: string[]): number[] {
  const ids = new Set<number>();
  for (const topic of topics) {
    const topicId = store.knownTopicId(topic);
    if (topicId !== undefined) ids.add(topicId);
  }
  return [...ids];
}

const timeStamp = (time: number): string => new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** `decoder` decodes large payloads off the engine's thread. */
export function messageHandlers(recorderFor: (connectionId: string) => Recorder, dataDir: string, decoder: DecodeThread): HandlersFor<'messages'> {
  const storeOf = (connectionId: string): MessageStore => recorderFor(connectionId).store;
  return {
    'messages.get': ({ connectionId, id, maxPayloadBytes }) => capped(messageOf(storeOf(connectionId), id), maxPayloadBytes),
    'messages.latest': ({ connectionId, topic, maxPayloadBytes }) => {
      const store = storeOf(connectionId);
      const topicId = store.knownTopicId(topic);
      const id = topicId === undefined ? undefined : store.latestId(topicId);
      const record = id === undefined ? undefined : store.get(id);
      return record === undefined ? null : capped(record, maxPayloadBytes);
    },
    'messages.history': ({ connectionId, topic, beforeId, limit }) => {
      const store = storeOf(connectionId);
      const topicId = store.knownTopicId(topic);
      return topicId === undefined ? [] : store.history(topicId, beforeId, limit);
    },
    'messages.decode': async ({ connectionId, id, decoder: name, proto, maxChars }) => {
      const store = storeOf(connectionId);
      const record = messageOf(store, id);
      const birth = name === 'sparkplug' || name === 'auto' ? sparkplugBirth(store, record) : undefined;
      return decoder.decode(
        record.payload,
        { decoder: name, topic: record.topic, ...(birth === undefined ? {} : { birth }), ...(proto === undefined ? {} : { proto }) },
        maxChars,
      );
    },
    'messages.export': async ({ connectionId, topic, topics, subtree, from, to, format, filePath }) => {
      if ((topic === undefined) === (topics === undefined)) {
        throw new ApiFailure(
          'invalid-argument',
          `The export was given ${topic === undefined ? 'neither a topic nor a list of topics' : 'both a topic and a list of topics'}. Give either topic (a topic, its subtree or a filter) or topics (exact topics, e.g. a search result).`,
        );
      }
      const exportsDir = path.join(dataDir, 'exports');
      const baseName = topic === undefined ? 'topics' : fileSafe(topic);
      const target = filePath === undefined ? path.join(exportsDir, `${baseName}-${timeStamp(Date.now())}.${format}`) : exportTarget(exportsDir, filePath);
      const recorder = recorderFor(connectionId);
      const store = recorder.store;
      try {
        await recorder.flush();
      } catch (error) {
        throw new ApiFailure('storage', `The messages still waiting to be written could not be saved first, so the export would miss them. ${describeStoreError(error, store.file)}`);
      }
      try {
        mkdirSync(path.dirname(target), { recursive: true });
        const rows = await exportMessages(store.file, (topicId) => store.topicName(topicId) ?? '', {
          topicIds: topic === undefined ? exactTopicIds(store, topics ?? []) : store.selectTopics(topic, subtree),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          format,
          filePath: target,
        });
        return { filePath: target, rows };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ApiFailure('io', `The export could not be written to ${target} (${detail}). Check that the exports folder is writable and the disk has room.`);
      }
    },
  };
}
