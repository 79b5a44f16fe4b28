import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionStatus } from '@common/session';
import ConnectionToolbar from '@renderer/components/shell/ConnectionToolbar.vue';
import { useConnectionsStore } from '@renderer/stores/connections';
import { installFakeApi, type FakeApi } from './fake-api';

let api: FakeApi;
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-03-01T10:00:00Z'));
  setActivePinia(createPinia());
  api = installFakeApi();
});
afterEach(() => vi.useRealTimers());

const status = (overrides: Partial<SessionStatus>): SessionStatus => ({
  connectionId: 'p1',
  profileName: 'Office',
  protocolVersion: 5,
  state: 'connected',
  clientId: 'c',
  subscriptions: [],
  since: Date.now(),
  ...overrides,
});

describe('ConnectionToolbar', () => {
  it('counts down to the next reconnect try, second by second', async () => {
    useConnectionsStore().applyStatus(status({ state: 'reconnecting', attempt: 3, nextRetryAt: Date.now() + 4000 }));
    const wrapper = mount(ConnectionToolbar, { props: { connectionId: 'p1' } });
    const text = () => wrapper.find('[data-test="state-text"]').text();
    expect(text()).toBe('Reconnecting (attempt 3, next try in 4 s)');
    await vi.advanceTimersByTimeAsync(1000);
    expect(text()).toBe('Reconnecting (attempt 3, next try in 3 s)');
    await vi.advanceTimersByTimeAsync(2500);
    expect(text()).toBe('Reconnecting (attempt 3, next try in 1 s)');
    await vi.advanceTimersByTimeAsync(1000);
    expect(text()).toBe('Reconnecting (attempt 3, trying now)');
    wrapper.unmount();
  });

  it('follows the engine from reconnecting to connected', async () => {
    const connections = useConnectionsStore();
    await connections.start();
    connections.applyStatus(status({ state: 'reconnecting', attempt: 1, nextRetryAt: Date.now() + 1000 }));
    const wrapper = mount(ConnectionToolbar, { props: { connectionId: 'p1' } });
    api.emit({ type: 'connection.status', status: status({ state: 'connected' }) });
    await flushPromises();
    expect(wrapper.find('[data-test="state-text"]').text()).toBe('Connected');
    expect(wrapper.find('[data-test="disconnect"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('connects through the engine and ends in the failure it reports, not a spinner', async () => {
    await useConnectionsStore().start();
    api.failWith('connection.open', 'Could not reach broker.local:1883: connection refused. Check that the broker runs and the port is right.');
    const wrapper = mount(ConnectionToolbar, { props: { connectionId: 'p1' } });
    expect(wrapper.find('[data-test="state-text"]').text()).toBe('Disconnected');
    await wrapper.find('[data-test="connect"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('connection.open')).toEqual([{ connectionId: 'p1' }]);
    expect(useConnectionsStore().failures.get('p1')).toContain('connection refused');
    expect(wrapper.find('[data-test="connect"]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });
});
