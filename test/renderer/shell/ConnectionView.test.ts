import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionStatus } from '@common/session';
import ConnectionView from '@renderer/components/shell/ConnectionView.vue';
import { useConnectionsStore } from '@renderer/stores/connections';
import { toasts } from '@renderer/components/ui/toast';
import { installFakeApi, type FakeApi } from './fake-api';

let api: FakeApi;
beforeEach(async () => {
  setActivePinia(createPinia());
  api = installFakeApi();
  toasts.value = [];
  await useConnectionsStore().start();
});

const REFUSED = 'Broker refused the connection: not authorized (0x87). Check the user name and password in this profile.';
const failed: SessionStatus = { connectionId: 'p1', profileName: 'Office', protocolVersion: 5, state: 'error', clientId: 'c', error: REFUSED, subscriptions: [], since: 0 };
// The explorer and publish panes are other components' business; here only the shell around them matters.
const mountView = () => mount(ConnectionView, { props: { connectionId: 'p1' }, global: { stubs: { ExplorerArea: true, PublishPanel: true, teleport: true } } });

describe('ConnectionView', () => {
  it("shows the engine's sentence when connecting fails, with Retry, and as a toast", async () => {
    const wrapper = mountView();
    api.emit({ type: 'connection.status', status: failed });
    await flushPromises();
    expect(wrapper.find('[data-test="connection-error"]').text()).toContain(REFUSED);
    expect(toasts.value.map((toast) => toast.message)).toEqual([`Office: ${REFUSED}`]);

    await wrapper.findAll('[data-test="connection-error"] button')[0]!.trigger('click');
    await flushPromises();
    expect(api.paramsOf('connection.open')).toEqual([{ connectionId: 'p1' }]);
  });

  it('shows a request that failed before any status came', async () => {
    api.failWith('connection.open', 'The profile p1 does not exist any more. Pick another connection.');
    const wrapper = mountView();
    await useConnectionsStore().connect('p1');
    await flushPromises();
    expect(wrapper.find('[data-test="connection-error"]').text()).toContain('does not exist any more');
  });

  it('clears the problem once the connection is up', async () => {
    const wrapper = mountView();
    api.emit({ type: 'connection.status', status: failed });
    await flushPromises();
    api.emit({ type: 'connection.status', status: { ...failed, state: 'connected', error: undefined } });
    await flushPromises();
    expect(wrapper.find('[data-test="connection-error"]').exists()).toBe(false);
  });
});
