import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import TreeSearchBox from '@renderer/components/tree/TreeSearchBox.vue';
import { useTreeStore } from '@renderer/stores/tree';
import { installFakeApi, nodeView, type FakeApi } from './fakeApi';

const C = 'conn-1';
let api: FakeApi;

describe('TreeSearchBox', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    api = installFakeApi();
    api.on('tree.children', () => []);
    const match = nodeView('home/kitchen/temp');
    api.on('tree.search', () => ({ matches: [match.id], nodes: [match], truncated: false }));
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useTreeStore().$dispose();
    vi.useRealTimers();
  });

  it('asks the engine once, after typing stops, with the chosen mode and scope', async () => {
    const box = mount(TreeSearchBox, { props: { connectionId: C } });
    await box.find('button[title^="Regular"]').trigger('click');
    await box.find('select').setValue('2'); // Both
    const input = box.find('input');
    for (const partial of ['t', 'te', 'tem', 'temp']) await input.setValue(partial);
    vi.advanceTimersByTime(199);
    expect(api.callsOf('tree.search')).toHaveLength(0);
    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(api.callsOf('tree.search')).toEqual([{ connectionId: C, query: 'temp', mode: 'regex', scope: 'both', caseSensitive: false }]);
    expect(box.find('[role="status"]').text()).toBe('1 match');
  });

  it('exports the matched topics that have stored messages from the results', async () => {
    const withMessages = nodeView('home/hall/door', { messages: 3 });
    const levelOnly = nodeView('home/hall', { messages: 0, childCount: 1 });
    api.on('tree.search', () => ({ matches: [withMessages.id, levelOnly.id], nodes: [levelOnly, withMessages], truncated: false }));
    api.on('messages.export', () => ({ filePath: '/data/exports/topics.jsonl', rows: 3 }));
    const box = mount(TreeSearchBox, { props: { connectionId: C }, global: { stubs: { teleport: true } } });
    await box.find('input').setValue('hall');
    vi.advanceTimersByTime(200);
    await flushPromises();
    await box.find('.tree-search__export').trigger('click');
    expect(box.text()).toContain('1 topic matching the search');
    await box.findAll('button').find((b) => b.text() === 'Export')?.trigger('click');
    await flushPromises();
    expect(api.callsOf('messages.export')).toEqual([{ connectionId: C, topics: ['home/hall/door'], format: 'jsonl' }]);
    box.unmount();
  });

  it('clears the search on Escape at once', async () => {
    const box = mount(TreeSearchBox, { props: { connectionId: C } });
    const input = box.find('input');
    await input.setValue('kitchen');
    vi.advanceTimersByTime(200);
    await flushPromises();
    expect(useTreeStore().tree(C).search.value).not.toBeNull();

    await input.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect((input.element as HTMLInputElement).value).toBe('');
    expect(useTreeStore().tree(C).search.value).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(api.callsOf('tree.search')).toHaveLength(1);
  });

  it('says when a regular expression is invalid instead of asking the engine', async () => {
    const box = mount(TreeSearchBox, { props: { connectionId: C } });
    await box.find('button[title^="Regular"]').trigger('click');
    await box.find('input').setValue('temp(');
    vi.advanceTimersByTime(500);
    await flushPromises();
    expect(api.callsOf('tree.search')).toHaveLength(0);
    expect(box.find('[role="status"]').text()).toMatch(/not valid/);
  });

  it('says that payload search looks at the preview of each latest message only', async () => {
    const box = mount(TreeSearchBox, { props: { connectionId: C } });
    const payload = box.findAll('option').find((o) => o.text() === 'Payload previews');
    expect(payload?.attributes('title')).toMatch(/preview of each topic's latest message/);
    await box.find('select').setValue('1');
    expect(box.find('select').attributes('title')).toMatch(/preview of each topic's latest message/);
    expect(box.find('input').attributes('placeholder')).toBe('Search payload previews');
  });
});
