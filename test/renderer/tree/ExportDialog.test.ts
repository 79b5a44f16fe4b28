import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ExportDialog from '@renderer/components/tree/ExportDialog.vue';
import type { ExportSubject } from '@renderer/components/tree/treeActions';
import { installFakeApi, type FakeApi } from './fakeApi';

const C = 'conn-1';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
let api: FakeApi;
let wrapper: VueWrapper | undefined;

const open = (subject: ExportSubject): VueWrapper => {
  wrapper = mount(ExportDialog, { props: { open: true, connectionId: C, subject }, global: { stubs: { teleport: true } } });
  return wrapper;
};
const button = (w: VueWrapper, text: string) => {
  const found = w.findAll('button').find((b) => b.text() === text);
  if (!found) throw new Error(`No button "${text}".`);
  return found;
};
async function exportWith(w: VueWrapper, range: string): Promise<void> {
  await button(w, range).trigger('click');
  await button(w, 'Export').trigger('click');
  await flushPromises();
}

describe('ExportDialog', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    api = installFakeApi();
    api.on('messages.export', () => ({ filePath: '/data/exports/x.jsonl', rows: 12 }));
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    vi.useRealTimers();
  });

  it('sends the subtree with the time range of each choice', async () => {
    const w = open({ kind: 'subtree', topic: 'a/b' });
    expect(w.text()).toContain('topic a/b and everything below');
    await exportWith(w, 'All');
    await button(w, 'CSV').trigger('click');
    await exportWith(w, 'Last hour');
    await exportWith(w, 'Last 24 hours');
    await button(w, 'Custom').trigger('click');
    await w.find('input[aria-label="From"]').setValue('2026-01-02T03:04:05');
    await w.find('input[aria-label="To"]').setValue('2026-01-03T00:00');
    await exportWith(w, 'Custom');
    const subtree = { connectionId: C, topic: 'a/b', subtree: true };
    expect(api.callsOf('messages.export')).toEqual([
      { ...subtree, format: 'jsonl' },
      { ...subtree, format: 'csv', from: NOW - 3_600_000, to: NOW },
      { ...subtree, format: 'csv', from: NOW - 86_400_000, to: NOW },
      { ...subtree, format: 'csv', from: new Date('2026-01-02T03:04:05').getTime(), to: new Date('2026-01-03T00:00').getTime() },
    ]);
    expect(w.emitted('close')).toHaveLength(4);
  });

  it('sends the topics of a search result and says how many', async () => {
    const w = open({ kind: 'topics', topics: ['a/1', 'b/2'] });
    expect(w.text()).toContain('2 topics matching the search');
    await exportWith(w, 'Last hour');
    expect(api.callsOf('messages.export')).toEqual([{ connectionId: C, topics: ['a/1', 'b/2'], format: 'jsonl', from: NOW - 3_600_000, to: NOW }]);
  });

  it('refuses a custom range whose start is after its end, with a sentence', async () => {
    const w = open({ kind: 'subtree', topic: 'a' });
    await button(w, 'Custom').trigger('click');
    await w.find('input[aria-label="From"]').setValue('2026-01-05T10:00');
    await w.find('input[aria-label="To"]').setValue('2026-01-04T10:00');
    expect(w.find('[role="alert"]').text()).toBe('The start (2026-01-05 10:00) is after the end (2026-01-04 10:00). Choose a start before the end.');
    expect(button(w, 'Export').attributes('disabled')).toBeDefined();
    await button(w, 'Export').trigger('click');
    await flushPromises();
    expect(api.callsOf('messages.export')).toEqual([]);

    await w.find('input[aria-label="To"]').setValue('2026-01-06T10:00');
    expect(w.find('[role="alert"]').exists()).toBe(false);
    await exportWith(w, 'Custom');
    expect(api.callsOf('messages.export')).toHaveLength(1);
  });
});
