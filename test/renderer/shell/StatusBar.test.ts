import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { ConnectionStats, SessionStatus } from '@common/session';
import StatusBar from '@renderer/components/shell/StatusBar.vue';
import { humanBytes } from '@renderer/components/shell/format';
import { useConnectionsStore } from '@renderer/stores/connections';
import { installFakeApi } from './fake-api';

beforeEach(() => {
  setActivePinia(createPinia());
  installFakeApi();
});

const stats = (overrides: Partial<ConnectionStats> = {}): ConnectionStats => ({
  connectionId: 'p1',
  msgsPerSec: 1234.4,
  topics: 15320,
  messages: 2_000_000,
  stored: 1_250_000,
  storeBytes: 734_500_000,
  writingBehind: 0,
  backpressure: false,
  ...overrides,
});
const status: SessionStatus = {
  connectionId: 'p1',
  profileName: 'Office',
  protocolVersion: 5,
  state: 'connected',
  clientId: 'c',
  subscriptions: [],
  since: 0,
};

function mountBar(figures: ConnectionStats) {
  const connections = useConnectionsStore();
  connections.applyStatus(status);
  connections.applyStats([figures]);
  connections.open('p1');
  return mount(StatusBar);
}

describe('StatusBar', () => {
  it("shows the active connection's state, rate, topics, stored messages and store size", () => {
    const wrapper = mountBar(stats());
    expect(wrapper.find('[data-test="status-state"]').text()).toBe('Connected');
    expect(wrapper.find('[data-test="status-rate"]').text()).toBe('1,234 msg/s');
    expect(wrapper.find('[data-test="status-topics"]').text()).toBe('15,320 topics');
    expect(wrapper.find('[data-test="status-stored"]').text()).toBe('1,250,000 stored');
    expect(wrapper.find('[data-test="status-size"]').text()).toBe('735 MB');
  });

  it('says "writing behind" only while the store is behind', async () => {
    const wrapper = mountBar(stats());
    expect(wrapper.find('[data-test="status-behind"]').exists()).toBe(false);
    useConnectionsStore().applyStats([stats({ writingBehind: 4200 })]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-test="status-behind"]').text()).toBe('writing behind: 4,200');
    // A few messages waiting for the next write (50 ms) are normal, not news.
    useConnectionsStore().applyStats([stats({ writingBehind: 80, msgsPerSec: 50 })]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-test="status-behind"]').exists()).toBe(false);
    useConnectionsStore().applyStats([stats({ writingBehind: 80, backpressure: true })]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-test="status-behind"]').text()).toBe('writing behind: 80 (paused reading)');
    useConnectionsStore().applyStats([stats({ writingBehind: 0 })]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-test="status-behind"]').exists()).toBe(false);
  });

  it('counts messages not recorded while the store keeps failing, and only then', async () => {
    const wrapper = mountBar(stats({ storeError: 'The disk is full.' }));
    expect(wrapper.find('[data-test="status-unrecorded"]').exists()).toBe(false);
    useConnectionsStore().applyStats([stats({ storeError: 'The disk is full.', unrecorded: 12_345 })]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-test="status-unrecorded"]').text()).toBe('12,345 not recorded');
  });

  it('keeps a slow rate readable instead of rounding it to zero', () => {
    const wrapper = mountBar(stats({ msgsPerSec: 0.4 }));
    expect(wrapper.find('[data-test="status-rate"]').text()).toBe('0.4 msg/s');
  });
});

describe('humanBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(humanBytes(0)).toBe('0 B');
    expect(humanBytes(999)).toBe('999 B');
    expect(humanBytes(1500)).toBe('1.5 KB');
    expect(humanBytes(123_456_789)).toBe('123 MB');
    expect(humanBytes(2_000_000_000_000)).toBe('2.0 TB');
  });
});
