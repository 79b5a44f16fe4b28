import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { PublishHistoryEntry } from '@common/api';
import HistoryList from '@renderer/components/publish/HistoryList.vue';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});

const entry = (overrides: Partial<PublishHistoryEntry>): PublishHistoryEntry => ({
  id: 1,
  connectionId: 'p1',
  time: Date.now(),
  request: { topic: 'h/1', payload: { format: 'text', value: '{"n":{{counter}}}' }, qos: 1, retain: false, properties: {}, autoTopicAlias: false },
  outcome: { kind: 'acknowledged', reasonCode: 0, reasonName: 'Success', packetSize: 12, packet: 'puback' },
  ...overrides,
});

describe('HistoryList', () => {
  it('shows a repeat job as one line: sent of total, interval, how it ended, and the last outcome', async () => {
    api.on('publish.history', () => [
      entry({ id: 2, repeat: { sent: 12, total: 12, intervalMs: 1000, state: 'done' } }),
      entry({ id: 3, repeat: { sent: 1500, intervalMs: 10, state: 'stopped' } }),
      entry({ id: 4 }),
    ]);
    const wrapper = mount(HistoryList, { props: { connectionId: 'p1', canSend: true } });
    await flushPromises();
    const lines = wrapper.findAll('.history__outcome').map((line) => line.text());
    expect(lines[0]).toMatch(/^Repeat every 1,000 ms: 12 of 12 sent, done · last: /);
    expect(lines[1]).toMatch(/^Repeat every 10 ms: 1,500 sent, stopped/);
    expect(lines[2]).not.toMatch(/Repeat/);
  });

  it('pages back through older entries with "Show older" while full pages come back', async () => {
    const kept = Array.from({ length: 450 }, (_, i) => entry({ id: 450 - i }));
    api.on('publish.history', ({ limit }) => kept.slice(0, limit));
    const wrapper = mount(HistoryList, { props: { connectionId: 'p1', canSend: true } });
    await flushPromises();
    expect(wrapper.findAll('.history__row')).toHaveLength(200);
    await wrapper.find('[data-test="history-older"]').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('.history__row')).toHaveLength(400);
    await wrapper.find('[data-test="history-older"]').trigger('click');
    await flushPromises();
    // 450 of a possible 600: everything kept is shown, so there is nothing older to ask for.
    expect(wrapper.findAll('.history__row')).toHaveLength(450);
    expect(wrapper.find('[data-test="history-older"]').exists()).toBe(false);
    expect(api.calls.filter((c) => c.method === 'publish.history').map((c) => (c.params as { limit: number }).limit)).toEqual([200, 400, 600]);
  });
});
