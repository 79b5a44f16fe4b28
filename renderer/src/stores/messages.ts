import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { DecodedPayload, DecoderName } from '@common/api';
import type { MessageRecord, MessageSummary } from '@common/model';
import { call } from '@renderer/services/api';
import type { ProtoChoice } from './explorer';

export const HISTORY_PAGE = 200;
/**
 * Payload bytes fetched with the inspected message: enough for the hex fallback and the chart's
 * field picker. The decoded text comes from messages.decode, so a 5 MB payload never crosses whole.
 */
export const PAYLOAD_HEAD = 262_144;

/** The full size of a message's payload, even when only its head was fetched. */
export const payloadSize = (m: MessageRecord): number => m.payloadSize ?? m.payload.length;

/** The message shown in the inspector and the history of its topic, for one connection. */
export interface InspectorState {
  readonly connectionId: string;
  topic: Ref<string | null>;
  /** The message shown; follows the topic's latest unless one was picked from history. */
  message: ShallowRef<MessageRecord | null>;
  /** A message chosen from history (null = follow the latest). */
  pinnedId: Ref<number | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  history: ShallowRef<readonly MessageSummary[]>;
  historyDone: Ref<boolean>;
  historyLoading: Ref<boolean>;
  historyError: Ref<string | null>;
  /** Two messages picked for the diff (ids); absent = current vs previous. */
  diffA: Ref<number | null>;
  diffB: Ref<number | null>;
}

interface State extends InspectorState {
  generation: number;
  historyGeneration: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const DECODE_CACHE = 24;

/** Pages and live updates can overlap: keep each message once, newest first. */
export function mergeNewestFirst(...lists: readonly (readonly MessageSummary[])[]): MessageSummary[] {
  const seen = new Set<number>();
  const out: MessageSummary[] = [];
  for (const m of lists.flat().sort((a, b) => b.id - a.id)) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

export const useMessagesStore = defineStore('messages', () => {
  const states = new Map<string, State>();
  /** Small cache of decoded payloads: switching tabs or diffing should not decode again. */
  const decoded = new Map<string, DecodedPayload>();

  function inspector(connectionId: string): InspectorState {
    let state = states.get(connectionId);
    if (!state) {
      state = {
        connectionId,
        topic: ref(null),
        message: shallowRef(null),
        pinnedId: ref(null),
        loading: ref(false),
        error: ref(null),
        history: shallowRef([]),
        historyDone: ref(false),
        historyLoading: ref(false),
        historyError: ref(null),
        diffA: ref(null),
        diffB: ref(null),
        generation: 0,
        historyGeneration: 0,
      };
      states.set(connectionId, state);
    }
    return state;
  }

  /** Shows a topic: its latest message and the first history page. */
  async function showTopic(connectionId: string, topic: string | null): Promise<void> {
    const state = inspector(connectionId) as State;
    if (state.topic.value === topic) return;
    state.topic.value = topic;
    state.pinnedId.value = null;
    state.diffA.value = null;
    state.diffB.value = null;
    state.message.value = null;
    state.history.value = [];
    state.historyDone.value = false;
    state.historyError.value = null;
    if (topic === null) {
      state.generation++;
      state.historyGeneration++;
      state.loading.value = false;
      return;
    }
    await Promise.all([loadLatest(connectionId), loadHistory(connectionId, true)]);
  }

  async function loadLatest(connectionId: string): Promise<void> {
    const state = inspector(connectionId) as State;
    const topic = state.topic.value;
    if (topic === null || state.pinnedId.value !== null) return;
    const generation = ++state.generation;
    state.loading.value = true;
    try {
      const latest = await call('messages.latest', { connectionId, topic, maxPayloadBytes: PAYLOAD_HEAD });
      if (generation !== state.generation) return;
      state.message.value = latest ? markRaw(latest) : null;
      state.error.value = null;
    } catch (error) {
      if (generation === state.generation) state.error.value = message(error);
    } finally {
      if (generation === state.generation) state.loading.value = false;
    }
  }

  /** Inspects one message from history; `null` goes back to following the latest. */
  async function pin(connectionId: string, id: number | null): Promise<void> {
    const state = inspector(connectionId) as State;
    state.pinnedId.value = id;
    if (id === null) return loadLatest(connectionId);
    const generation = ++state.generation;
    state.loading.value = true;
    try {
      const record = await call('messages.get', { connectionId, id, maxPayloadBytes: PAYLOAD_HEAD });
      if (generation !== state.generation) return;
      state.message.value = markRaw(record);
      state.error.value = null;
    } catch (error) {
      if (generation === state.generation) state.error.value = message(error);
    } finally {
      if (generation === state.generation) state.loading.value = false;
    }
  }

  /** First page (`fresh`) or the next older page of the topic's history. */
  async function loadHistory(connectionId: string, fresh = false): Promise<void> {
    const state = inspector(connectionId) as State;
    const topic = state.topic.value;
    if (topic === null) return;
    if (!fresh && (state.historyDone.value || state.historyLoading.value)) return;
    const generation = fresh ? ++state.historyGeneration : state.historyGeneration;
    const before = fresh ? undefined : state.history.value.at(-1)?.id;
    state.historyLoading.value = true;
    try {
      const page = await call('messages.history', { connectionId, topic, beforeId: before, limit: HISTORY_PAGE });
      if (generation !== state.historyGeneration || topic !== state.topic.value) return;
      state.history.value = markRaw(fresh ? page : mergeNewestFirst(state.history.value, page));
      state.historyDone.value = page.length < HISTORY_PAGE;
      state.historyError.value = null;
    } catch (error) {
      if (generation === state.historyGeneration) state.historyError.value = message(error);
    } finally {
      if (generation === state.historyGeneration) state.historyLoading.value = false;
    }
  }

  /** New messages arrived on the shown topic: put them on top of history and follow the latest. */
  async function onTopicChanged(connectionId: string): Promise<void> {
    const state = inspector(connectionId) as State;
    const topic = state.topic.value;
    if (topic === null) return;
    const latestKnown = state.history.value[0]?.id;
    const work: Promise<void>[] = [loadLatest(connectionId)];
    work.push(
      (async () => {
        const generation = state.historyGeneration;
        try {
          const page = await call('messages.history', { connectionId, topic, limit: HISTORY_PAGE });
          if (generation !== state.historyGeneration || topic !== state.topic.value) return;
          const fresh = latestKnown === undefined ? page : page.filter((m) => m.id > latestKnown);
          if (fresh.length === 0) return;
          // A full page of new messages means a gap: start over from the newest page.
          state.history.value = markRaw(fresh.length >= HISTORY_PAGE ? page : mergeNewestFirst(fresh, state.history.value));
          if (fresh.length >= HISTORY_PAGE) state.historyDone.value = false;
        } catch {
          // The next change tries again; the list keeps what it has.
        }
      })(),
    );
    await Promise.all(work);
  }

  async function decode(
    connectionId: string,
    id: number,
    decoder: DecoderName,
    proto?: ProtoChoice | null,
    /** Characters of text wanted (the rest stays in the engine); absent = all. */
    maxChars?: number,
  ): Promise<DecodedPayload> {
    const protoKey = decoder === 'protobuf' && proto ? `${proto.messageType}:${proto.source.length}:${proto.source.slice(0, 64)}` : '';
    const key = `${connectionId}\u0000${id}\u0000${decoder}\u0000${protoKey}\u0000${maxChars ?? ''}`;
    const hit = decoded.get(key);
    if (hit) return hit;
    const result = await call('messages.decode', {
      connectionId,
      id,
      decoder,
      proto: decoder === 'protobuf' && proto ? { source: proto.source, messageType: proto.messageType } : undefined,
      maxChars,
    });
    decoded.set(key, markRaw(result));
    if (decoded.size > DECODE_CACHE) decoded.delete(decoded.keys().next().value as string);
    return result;
  }

  function setDiffPick(connectionId: string, side: 'a' | 'b', id: number | null): void {
    const state = inspector(connectionId);
    if (side === 'a') state.diffA.value = id;
    else state.diffB.value = id;
  }

  function release(connectionId: string): void {
    const state = states.get(connectionId);
    if (!state) return;
    state.generation++;
    state.historyGeneration++;
    states.delete(connectionId);
  }

  return { inspector, showTopic, loadLatest, pin, loadHistory, onTopicChanged, decode, setDiffPick, release };
});
