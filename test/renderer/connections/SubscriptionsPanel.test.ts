import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { SubscriptionState } from '@common/model';
import type { SessionStatus } from '@common/session';
import SubscriptionsPanel from '@renderer/components/connections/SubscriptionsPanel.vue';
import { useConnectionsStore } from '@renderer/stores/connections';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

const sub = (filter: string, status: SubscriptionState['status'], reasonCode?: number): SubscriptionState => ({
  filter, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [], status, ...(reasonCode !== undefined ? { reasonCode } : {}),
});
const session = (subscriptions: SubscriptionState[]): SessionStatus => ({
  connectionId: 'p1', profileName: 'Office', protocolVersion: 5, state: 'connected', clientId: 'c', subscriptions, since: 0,
});

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});

async function mountPanel(subscriptions: SubscriptionState[]): Promise<VueWrapper> {
  useConnectionsStore().applyStatus(session(subscriptions));
  const wrapper = mount(SubscriptionsPanel, { props: { open: true, connectionId: 'p1' }, global: { stubs: { teleport: true } }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}
const unsubscribeButton = (wrapper: VueWrapper, filter: string) =>
  wrapper.findAll('[data-test="subscription-row"]').find((row) => row.text().includes(filter))!.find('button[title="Unsubscribe"]');

describe('SubscriptionsPanel', () => {
  it("shows the broker's UNSUBACK for a removed filter, its code and name", async () => {
    const wrapper = await mountPanel([sub('open/#', 'granted', 1), sub('secret/#', 'refused', 0x87)]);
    expect(wrapper.find('[data-test="unsuback"]').exists()).toBe(false);

    api.on('subscription.remove', ({ filter }) => ({
      status: session([sub('open/#', 'granted', 1)]),
      unsuback: { filter, code: 0x11, name: 'No subscription existed' },
    }));
    await unsubscribeButton(wrapper, 'secret/#').trigger('click');
    await flushPromises();
    expect(api.paramsOf('subscription.remove')).toEqual([{ connectionId: 'p1', filter: 'secret/#' }]);
    expect(wrapper.find('[data-test="unsuback"]').text()).toBe('Removed secret/#: No subscription existed (0x11).');
    expect(wrapper.findAll('[data-test="subscription-row"]')).toHaveLength(1);

    api.on('subscription.remove', ({ filter }) => ({ status: session([]), unsuback: { filter, code: 0, name: 'Success', reasonString: 'bye' } }));
    await unsubscribeButton(wrapper, 'open/#').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="unsuback"]').text()).toBe('Removed open/#: Success (0x00). The broker said: "bye".');
    wrapper.unmount();
  });
});
