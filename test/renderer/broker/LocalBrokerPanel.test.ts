import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { BrokerStatus } from '@common/api';
import LocalBrokerPanel from '@renderer/components/broker/LocalBrokerPanel.vue';
import LocalBrokerEntry from '@renderer/components/broker/LocalBrokerEntry.vue';
import { answerConfirm, pendingConfirm } from '@renderer/components/ui/confirm';
import { useConnectionsStore } from '@renderer/stores/connections';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
const stopped: BrokerStatus = {
  running: false,
  host: '127.0.0.1',
  port: 1883,
  addresses: [],
  clients: [],
  protocolVersion: 4,
  authRequired: false,
  demo: { running: false, devices: 0, messagesPerSecond: 0, topics: 0 },
};
const running = (overrides: Partial<BrokerStatus> = {}): BrokerStatus => ({ ...stopped, running: true, ...overrides });

beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('broker.status', () => stopped);
});

const mountPanel = async () => {
  const wrapper = mount(LocalBrokerPanel, { global: { stubs: { teleport: true } } });
  await flushPromises();
  return wrapper;
};

describe('LocalBrokerPanel', () => {
  it('says the broker speaks MQTT 3.1.1 and starts it on 127.0.0.1 with the chosen port', async () => {
    api.on('broker.start', ({ port }) => running({ port: 50123, message: `Port ${String(port)} was taken; the local broker listens on 50123 instead.` }));
    const wrapper = await mountPanel();
    expect(wrapper.text()).toContain('MQTT 3.1.1');
    expect(wrapper.find('[data-test="broker-state"]').text()).toBe('Stopped');

    await wrapper.find('[data-test="broker-start"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('broker.start')).toEqual([{ port: 1883, host: '127.0.0.1' }]);
    expect(wrapper.find('[data-test="broker-state"]').text()).toBe('Running on 127.0.0.1, port 50123');
    expect(wrapper.find('[data-test="broker-message"]').text()).toBe('Port 1883 was taken; the local broker listens on 50123 instead.');
    expect(wrapper.findAll('[data-test="broker-address"]').map((row) => row.find('code').text())).toEqual(['mqtt://127.0.0.1:50123']);
  });

  it('listens on all interfaces only after the opt-in, warns about it, and lists the network addresses', async () => {
    api.on('broker.start', () => running({ host: '0.0.0.0', addresses: ['192.168.1.20', 'fd00::2'] }));
    const wrapper = await mountPanel();
    expect(wrapper.find('[data-test="broker-exposure"]').exists()).toBe(false);
    await wrapper.find('[data-test="broker-listen"] [role="radio"]:nth-child(2)').trigger('click');
    expect(wrapper.find('[data-test="broker-exposure"]').text()).toMatch(/without a password/);
    await wrapper.find('[data-test="broker-start"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('broker.start')).toEqual([{ port: 1883, host: '0.0.0.0' }]);
    expect(wrapper.findAll('[data-test="broker-address"] code').map((code) => code.text())).toEqual([
      'mqtt://127.0.0.1:1883',
      'mqtt://192.168.1.20:1883',
      'mqtt://[fd00::2]:1883',
    ]);
  });

  it('sends credentials, and refuses a password without a user name before asking the engine', async () => {
    api.on('broker.start', () => running({ authRequired: true }));
    const wrapper = await mountPanel();
    await wrapper.find('[data-test="broker-password"] input, input[data-test="broker-password"]').setValue('s3cret');
    expect(wrapper.text()).toContain('MQTT 3.1.1 allows a password only together with a user name.');
    expect(wrapper.find('[data-test="broker-start"]').attributes('disabled')).toBeDefined();

    await wrapper.find('[data-test="broker-username"] input, input[data-test="broker-username"]').setValue('ana');
    await wrapper.find('[data-test="broker-start"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('broker.start')).toEqual([{ port: 1883, host: '127.0.0.1', username: 'ana', password: 's3cret' }]);
    // The password is never remembered in the settings.
    expect(JSON.stringify(api.paramsOf('settings.set'))).not.toContain('s3cret');
  });

  it('shows clients and their subscriptions as broker.status events arrive', async () => {
    const wrapper = await mountPanel();
    api.emit({
      type: 'broker.status',
      status: running({ clients: [{ clientId: 'desk-lamp', address: '192.168.1.40:51000', subscriptions: ['lamp/set', 'lamp/+/config'] }] }),
    });
    await flushPromises();
    const rows = wrapper.findAll('[data-test="broker-client-row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text()).toContain('desk-lamp');
    expect(rows[0]?.findAll('.broker-clients__filter').map((chip) => chip.text())).toEqual(['lamp/set', 'lamp/+/config']);
  });

  it('starts the local broker first when the demo should publish to it', async () => {
    api.on('broker.start', () => running());
    api.on('demo.start', ({ messagesPerSecond }) => running({ demo: { running: true, devices: 25, messagesPerSecond: messagesPerSecond ?? 50, topics: 98 } }));
    const wrapper = await mountPanel();
    await wrapper.find('[data-test="demo-start"]').trigger('click');
    await flushPromises();
    expect(api.calls.map((c) => c.method).filter((m) => m.startsWith('broker.start') || m.startsWith('demo.'))).toEqual(['broker.start', 'demo.start']);
    expect(api.paramsOf('demo.start')).toEqual([{ messagesPerSecond: 50 }]);
    expect(wrapper.find('[data-test="demo-summary"]').text()).toBe('25 devices publish about 50 msg/s on 98 topics to the local broker.');
  });

  it('publishes through a connected profile only after the person confirms', async () => {
    api.on('broker.status', () => running());
    api.on('demo.start', () => running({ demo: { running: true, devices: 25, messagesPerSecond: 50, topics: 98, targetConnectionId: 'plant' } }));
    useConnectionsStore().applyStatus({ connectionId: 'plant', profileName: 'Plant floor', protocolVersion: 5, state: 'connected', clientId: 'x', subscriptions: [], since: 0 });
    const wrapper = await mountPanel();
    await wrapper.find('[data-test="demo-target"] select, select[data-test="demo-target"]').setValue('1');
    await wrapper.find('[data-test="demo-start"]').trigger('click');
    expect(pendingConfirm.value?.title).toBe('Publish demo traffic through “Plant floor”?');
    answerConfirm(false);
    await flushPromises();
    expect(api.paramsOf('demo.start')).toEqual([]);

    await wrapper.find('[data-test="demo-start"]').trigger('click');
    answerConfirm(true);
    await flushPromises();
    expect(api.paramsOf('demo.start')).toEqual([{ connectionId: 'plant', messagesPerSecond: 50 }]);
    expect(wrapper.find('[data-test="demo-summary"]').text()).toContain('to “Plant floor”');
  });
});

describe('LocalBrokerEntry', () => {
  it('shows whether the broker runs, where, and its clients, and opens the panel', async () => {
    api.on('broker.status', () => running({ port: 1884, clients: [{ clientId: 'a', address: '127.0.0.1:1', subscriptions: [] }] }));
    const wrapper = mount(LocalBrokerEntry, { global: { stubs: { teleport: true } } });
    await flushPromises();
    expect(wrapper.find('[data-test="local-broker-summary"]').text()).toBe('127.0.0.1:1884 · 1 client');
    expect(wrapper.text()).toContain('3.1.1');
    await wrapper.find('[data-test="local-broker-entry"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="local-broker-panel"]').exists()).toBe(true);
  });
});
