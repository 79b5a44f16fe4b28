import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionStatus } from '@common/session';
import { useConnectionsStore } from '@renderer/stores/connections';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});

const status = (connectionId: string, state: SessionStatus['state']): SessionStatus => ({
  connectionId,
  profileName: connectionId,
  protocolVersion: 4,
  state,
  clientId: 'c',
  subscriptions: [],
  since: 0,
});

const savedTabs = (tabs: string[], active: string | null): void => {
  api.on('settings.get', ({ scope }) => (scope === 'app' ? { openTabs: tabs, activeTab: active } : {}));
};

describe('connections store', () => {
  it('shows the tab of a connection the engine already holds when no tab was restored', async () => {
    api.on('connection.list', () => [status('idle', 'disconnected'), status('demo', 'connected')]);
    const store = useConnectionsStore();
    await store.start();
    expect(store.openTabs).toEqual(['demo']);
    expect(store.activeId).toBe('demo');
  });

  it('shows a connection that connects after the page opened with nothing open', async () => {
    const store = useConnectionsStore();
    await store.start();
    expect(store.openTabs).toEqual([]);
    api.emit({ type: 'connection.status', status: status('demo', 'connecting') });
    expect(store.openTabs).toEqual([]);
    api.emit({ type: 'connection.status', status: status('demo', 'connected') });
    expect(store.openTabs).toEqual(['demo']);
    expect(store.activeId).toBe('demo');
    // Only the first: a second connection does not take the tab over.
    api.emit({ type: 'connection.status', status: status('other', 'connected') });
    expect(store.openTabs).toEqual(['demo']);
  });

  it('keeps the restored tabs as they were', async () => {
    savedTabs(['office'], 'office');
    api.on('connection.list', () => [status('demo', 'connected')]);
    const store = useConnectionsStore();
    await store.start();
    await flushPromises();
    api.emit({ type: 'connection.status', status: status('plant', 'connected') });
    expect(store.openTabs).toEqual(['office']);
    expect(store.activeId).toBe('office');
  });

  it('does not reopen a tab the person closed', async () => {
    api.on('connection.list', () => [status('demo', 'connected')]);
    const store = useConnectionsStore();
    await store.start();
    store.close('demo');
    api.emit({ type: 'connection.status', status: status('demo', 'reconnecting') });
    api.emit({ type: 'connection.status', status: status('demo', 'connected') });
    expect(store.openTabs).toEqual([]);
    expect(store.activeId).toBeNull();
  });
});
