import { defineStore } from 'pinia';
import { reactive, shallowRef, watch } from 'vue';
import type { ParamsOf, PublishHistoryEntry, PublishRequestInput, RepeatProgress, RequestReply, SavedMessage } from '@common/api';
import type { PublishOutcome } from '@common/session';
import { emptyForm, type PublishForm } from '@renderer/components/publish/publishForm';
import { call, onEvent } from '@renderer/services/api';
import { usePublishPrefill } from './explorer';
import { useSettingsStore } from './settings';

/** What the last publish of a connection did, for the result line. */
export type PublishResult =
  | { kind: 'outcome'; qos: 0 | 1 | 2; outcome: PublishOutcome; time: number }
  | { kind: 'error'; message: string; time: number };

/** Publish history entries shown per page, and the most the engine keeps per profile. */
const HISTORY_PAGE = 200;
const HISTORY_KEPT = 5_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The publish panel's state per connection: the form being written (kept while the dock is
 * folded away), the last result, the publish history, saved messages, repeat jobs and the last
 * request/response. Lists are replaced, never mutated in place.
 */
export const usePublishStore = defineStore('publish', () => {
  const forms = reactive(new Map<string, PublishForm>());
  const results = shallowRef(new Map<string, PublishResult>());
  const sending = shallowRef(new Set<string>());
  const history = shallowRef(new Map<string, PublishHistoryEntry[]>());
  const saved = shallowRef(new Map<string, SavedMessage[]>());
  /** The latest progress of each connection's repeat job. */
  const repeats = shallowRef(new Map<string, RepeatProgress>());
  const replies = shallowRef(new Map<string, { reply?: RequestReply; error?: string; waiting: boolean }>());

  const put = <V>(map: Map<string, V>, key: string, value: V | undefined): Map<string, V> => {
    const next = new Map(map);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    return next;
  };

  function form(connectionId: string): PublishForm {
    let current = forms.get(connectionId);
    if (current === undefined) {
      forms.set(connectionId, emptyForm());
      current = forms.get(connectionId) as PublishForm;
    }
    return current;
  }

  function replaceForm(connectionId: string, next: PublishForm): void {
    Object.assign(form(connectionId), next);
  }

  async function send(connectionId: string, message: PublishRequestInput): Promise<PublishResult> {
    const busy = new Set(sending.value);
    busy.add(connectionId);
    sending.value = busy;
    let result: PublishResult;
    try {
      const outcome = await call('publish.send', { connectionId, message });
      result = { kind: 'outcome', qos: message.qos, outcome, time: Date.now() };
    } catch (error) {
      result = { kind: 'error', message: errorText(error), time: Date.now() };
    } finally {
      const done = new Set(sending.value);
      done.delete(connectionId);
      sending.value = done;
    }
    results.value = put(results.value, connectionId, result);
    void loadHistory(connectionId, lastQuery.get(connectionId) ?? '');
    return result;
  }

  const lastQuery = new Map<string, string>();
  /** How many of the newest entries the history list asks for; "Show older" raises it. */
  const historyLimits = new Map<string, number>();
  const historyLimit = (connectionId: string): number => historyLimits.get(connectionId) ?? HISTORY_PAGE;
  async function loadHistory(connectionId: string, query = ''): Promise<void> {
    lastQuery.set(connectionId, query);
    try {
      const entries = await call('publish.history', { connectionId, query, limit: historyLimit(connectionId) });
      // A slower answer to an older query must not replace a newer one.
      if (lastQuery.get(connectionId) === query) history.value = put(history.value, connectionId, entries);
    } catch {
      history.value = put(history.value, connectionId, []);
    }
  }

  /** A full page came back and the engine may keep more. */
  function mayHaveOlderHistory(connectionId: string): boolean {
    const shown = history.value.get(connectionId)?.length ?? 0;
    const limit = historyLimit(connectionId);
    return shown > 0 && shown >= limit && limit < HISTORY_KEPT;
  }

  /** Shows the next page of older entries (up to what the engine keeps). */
  function showOlderHistory(connectionId: string): Promise<void> {
    historyLimits.set(connectionId, Math.min(HISTORY_KEPT, historyLimit(connectionId) + HISTORY_PAGE));
    return loadHistory(connectionId, lastQuery.get(connectionId) ?? '');
  }

  async function loadSaved(scope: string): Promise<void> {
    saved.value = put(saved.value, scope, await call('saved.list', { scope }));
  }

  async function save(scope: string, message: ParamsOf<'saved.save'>['message']): Promise<SavedMessage> {
    const stored = await call('saved.save', { scope, message });
    await loadSaved(scope);
    return stored;
  }

  async function removeSaved(scope: string, id: string): Promise<void> {
    try {
      await call('saved.delete', { scope, id });
    } finally {
      await loadSaved(scope);
    }
  }

  async function exportSaved(scope: string): Promise<string> {
    return (await call('saved.export', { scope })).json;
  }

  async function importSaved(scope: string, json: string): Promise<{ imported: number; problems: string[] }> {
    const result = await call('saved.import', { scope, json });
    await loadSaved(scope);
    return result;
  }

  async function startRepeat(connectionId: string, message: PublishRequestInput, intervalMs: number, count: number | undefined): Promise<void> {
    const progress = await call('publish.repeatStart', { connectionId, message, intervalMs, ...(count === undefined ? {} : { count }) });
    repeats.value = put(repeats.value, connectionId, progress);
  }

  async function stopRepeat(connectionId: string): Promise<void> {
    const current = repeats.value.get(connectionId);
    if (current === undefined || current.state !== 'running') return;
    const progress = await call('publish.repeatStop', { jobId: current.jobId });
    applyProgress(progress);
  }

  function applyProgress(progress: RepeatProgress): void {
    const current = repeats.value.get(progress.connectionId);
    // Events of an older job, or stale events after the final state, are dropped.
    if (current && current.jobId !== progress.jobId && current.state === 'running') return;
    if (current && current.jobId === progress.jobId && current.state !== 'running') return;
    repeats.value = put(repeats.value, progress.connectionId, progress);
    if (progress.state !== 'running') void loadHistory(progress.connectionId, lastQuery.get(progress.connectionId) ?? '');
  }

  async function request(connectionId: string, message: PublishRequestInput, responseTopic: string | undefined, timeoutMs: number): Promise<void> {
    replies.value = put(replies.value, connectionId, { waiting: true });
    try {
      const reply = await call('publish.request', { connectionId, message, timeoutMs, ...(responseTopic ? { responseTopic } : {}) });
      replies.value = put(replies.value, connectionId, { reply, waiting: false });
    } catch (error) {
      replies.value = put(replies.value, connectionId, { error: errorText(error), waiting: false });
    }
    void loadHistory(connectionId, lastQuery.get(connectionId) ?? '');
  }

  let listening = false;
  function listen(): void {
    if (listening) return;
    listening = true;
    onEvent('publish.repeat', (event) => applyProgress(event.progress));
  }

  return {
    forms,
    results,
    sending,
    history,
    saved,
    repeats,
    replies,
    form,
    replaceForm,
    send,
    loadHistory,
    mayHaveOlderHistory,
    showOlderHistory,
    loadSaved,
    save,
    removeSaved,
    exportSaved,
    importSaved,
    startRepeat,
    stopRepeat,
    request,
    listen,
  };
});

// The dock mounts the publish panel only while it is open: "publish to this topic" in the tree
// opens it, and the panel takes the prefill over once mounted.
watch(usePublishPrefill().prefill, (prefill) => {
  if (prefill) void useSettingsStore().set('app', 'publishOpen', true);
});
