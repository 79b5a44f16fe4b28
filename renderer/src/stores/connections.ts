import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ConnectionStats, SessionStatus } from '@common/session';
import { call, onEvent } from '@renderer/services/api';
import { notify } from '@renderer/components/ui/toast';
import { useSettingsStore } from './settings';

/**
 * Live connections: the engine's SessionStatus and ConnectionStats per profile id, and which
 * connections are open as tabs. Maps are replaced, never mutated, so readers stay cheap.
 */
export const useConnectionsStore = defineStore('connections', () => {
  const settings = useSettingsStore();
  const statuses = shallowRef(new Map<string, SessionStatus>());
  const stats = shallowRef(new Map<string, ConnectionStats>());
  const openTabs = ref<string[]>([]);
  const activeId = ref<string | null>(null);
  /** A connect/disconnect request that failed before the engine reported a status, as its sentence. */
  const failures = shallowRef(new Map<string, string>());
  /** Ids with a connect or disconnect request in flight. */
  const pending = shallowRef(new Set<string>());

  const withEntry = <V>(map: Map<string, V>, id: string, value: V | undefined): Map<string, V> => {
    const next = new Map(map);
    if (value === undefined) next.delete(id);
    else next.set(id, value);
    return next;
  };

  function applyStatus(status: SessionStatus): void {
    const before = statuses.value.get(status.connectionId);
    statuses.value = withEntry(statuses.value, status.connectionId, status);
    if (status.state === 'error' && status.error && (before?.state !== 'error' || before.error !== status.error)) {
      notify({ kind: 'error', message: `${status.profileName}: ${status.error}` });
    }
    if (status.state === 'connected' || status.state === 'connecting') {
      failures.value = withEntry(failures.value, status.connectionId, undefined);
    }
    if (status.state === 'connected') showFirstConnected(status.connectionId);
  }

  /**
   * Set when start() restored no tab, cleared by the first open or close: until then a connection
   * the engine holds or makes (`npm run web -- --demo`, a script) shows its tab by itself rather
   * than "No connection open". After a person opened or closed a tab, their choice stands.
   */
  let adoptConnected = false;
  function showFirstConnected(id: string): void {
    if (adoptConnected && openTabs.value.length === 0) open(id);
  }

  function applyStats(list: ConnectionStats[]): void {
    const next = new Map(stats.value);
    for (const entry of list) next.set(entry.connectionId, entry);
    stats.value = next;
  }

  /** Asks the engine for every status and figure again (after the link to it was down). */
  async function refresh(): Promise<void> {
    const [list, current] = await Promise.all([
      call('connection.list', {}).catch(() => [] as SessionStatus[]),
      call('connection.stats', {}).catch(() => [] as ConnectionStats[]),
    ]);
    for (const status of list) applyStatus(status);
    applyStats(current);
  }

  let started = false;
  /**
   * Listens to the engine and restores the tabs of the last session, or, with none to restore,
   * shows a connection that is (or becomes) connected; safe to call more than once.
   */
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    onEvent('connection.status', (event) => applyStatus(event.status));
    onEvent('connection.stats', (event) => applyStats(event.stats));
    await refresh();
    await settings.load('app');
    const tabs = settings.get<unknown>('app', 'openTabs', []);
    if (Array.isArray(tabs)) openTabs.value = tabs.filter((id): id is string => typeof id === 'string');
    const active = settings.get<unknown>('app', 'activeTab', null);
    activeId.value = typeof active === 'string' && openTabs.value.includes(active) ? active : (openTabs.value[0] ?? null);
    watch([openTabs, activeId], () => {
      void settings.set('app', 'openTabs', [...openTabs.value]);
      void settings.set('app', 'activeTab', activeId.value);
    }, { deep: true });
    if (openTabs.value.length === 0) {
      adoptConnected = true;
      const connected = [...statuses.value.values()].find((status) => status.state === 'connected');
      if (connected) showFirstConnected(connected.connectionId);
    }
  }

  /** Shows a connection's tab (without connecting). */
  function open(id: string): void {
    adoptConnected = false;
    if (!openTabs.value.includes(id)) openTabs.value = [...openTabs.value, id];
    activeId.value = id;
  }

  /** Closes a tab; the connection itself stays as it is. */
  function close(id: string): void {
    adoptConnected = false;
    const index = openTabs.value.indexOf(id);
    if (index < 0) return;
    const tabs = openTabs.value.filter((tab) => tab !== id);
    openTabs.value = tabs;
    if (activeId.value === id) activeId.value = tabs[Math.min(index, tabs.length - 1)] ?? null;
  }

  async function run(id: string, work: () => Promise<unknown>): Promise<boolean> {
    pending.value = new Set(pending.value).add(id);
    failures.value = withEntry(failures.value, id, undefined);
    try {
      await work();
      return true;
    } catch (error) {
      const message = (error as Error).message;
      failures.value = withEntry(failures.value, id, message);
      notify({ kind: 'error', message });
      return false;
    } finally {
      const next = new Set(pending.value);
      next.delete(id);
      pending.value = next;
    }
  }

  async function connect(id: string): Promise<boolean> {
    open(id);
    return run(id, async () => applyStatus(await call('connection.open', { connectionId: id })));
  }

  async function disconnect(id: string): Promise<boolean> {
    return run(id, () => call('connection.close', { connectionId: id }));
  }

  /** Forgets a deleted profile's tab and status. */
  function forget(id: string): void {
    close(id);
    statuses.value = withEntry(statuses.value, id, undefined);
    stats.value = withEntry(stats.value, id, undefined);
    failures.value = withEntry(failures.value, id, undefined);
  }

  return { statuses, stats, openTabs, activeId, failures, pending, start, refresh, open, close, connect, disconnect, forget, applyStatus, applyStats };
});
