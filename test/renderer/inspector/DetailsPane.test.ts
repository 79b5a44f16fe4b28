import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { MessageSummary } from '@common/model';
import DetailsPane from '@renderer/components/inspector/DetailsPane.vue';
import { useExplorerStore } from '@renderer/stores/explorer';
import { PAYLOAD_HEAD } from '@renderer/stores/messages';
import { useTreeStore } from '@renderer/stores/tree';
import { installFakeApi, nodeView, type FakeApi } from '../tree/fakeApi';
import { record, text } from './fixtures';

const C = 'conn-1';
let api: FakeApi;

const summary = (id: number, preview: string): MessageSummary => ({
  id,
  topic: 'home/temp',
  time: 1_700_000_000_000 + id,
  size: preview.length,
  qos: 0,
  retain: false,
  preview,
  previewCut: false,
});

describe('DetailsPane', () => {
  const node = nodeView('home/temp', { last: { id: 7, time: 1, size: 4, qos: 0, retain: false, preview: '21.5', previewCut: false } });
  let latest = record();
  let history: MessageSummary[] = [];

  beforeEach(() => {
    latest = record({ id: 7, topic: 'home/temp', payload: text('21.5') });
    history = [summary(7, '21.5'), summary(6, '21.0')];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    api = installFakeApi();
    api.on('tree.children', () => [node]);
    api.on('messages.latest', () => latest);
    api.on('messages.history', ({ beforeId }) => (beforeId === undefined ? history : history.filter((m) => m.id < beforeId)));
    api.on('messages.get', ({ id }) => record({ id, topic: 'home/temp', payload: text(history.find((m) => m.id === id)?.preview ?? '') }));
    api.on('messages.decode', ({ id }) => ({ decoder: 'text' as const, language: 'plaintext' as const, text: `message ${id}`, size: 4, ms: 1 }));
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useTreeStore().$dispose();
    vi.useRealTimers();
  });

  async function mountSelected() {
    useTreeStore().tree(C);
    await flushPromises();
    useExplorerStore().select(C, { nodeId: node.id, topic: node.topic });
    const pane = mount(DetailsPane, { props: { connectionId: C } });
    vi.advanceTimersByTime(60);
    await flushPromises();
    return pane;
  }

  it('asks the person to choose a topic first', () => {
    const pane = mount(DetailsPane, { props: { connectionId: C } });
    expect(pane.text()).toContain('Select a topic');
  });

  it('shows the latest message of the selected topic, decoded', async () => {
    const pane = await mountSelected();
    expect(pane.find('[data-testid="inspector-topic"]').text()).toBe('home/temp');
    expect((pane.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value).toBe('message 7');
    // Only the head of the payload crosses: the decoded text comes separately, capped too.
    expect(api.callsOf('messages.latest').at(-1)?.maxPayloadBytes).toBe(PAYLOAD_HEAD);
  });

  it('follows new messages of the selected topic live', async () => {
    const pane = await mountSelected();
    latest = record({ id: 8, topic: 'home/temp', payload: text('22.0') });
    history = [summary(8, '22.0'), ...history];
    api.emit({ type: 'tree.delta', delta: { connectionId: C, nodes: [{ ...node, lastChanged: 2, last: { ...node.last!, id: 8 } }], removed: [] } });
    vi.advanceTimersToNextFrame();
    await flushPromises();
    vi.advanceTimersByTime(150);
    await flushPromises();
    expect((pane.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value).toBe('message 8');
    const state = (await import('@renderer/stores/messages')).useMessagesStore().inspector(C);
    expect(state.history.value.map((m) => m.id)).toEqual([8, 7, 6]);
  });

  it('inspects a message chosen from history in the Payload tab', async () => {
    const pane = await mountSelected();
    const { useMessagesStore } = await import('@renderer/stores/messages');
    await useMessagesStore().pin(C, 6);
    await flushPromises();
    expect(pane.find('.message-header__pinned').text()).toContain('#6');
    expect((pane.find('[data-testid="monaco-editor"]').element as HTMLTextAreaElement).value).toBe('message 6');
  });

  it('compares the shown message with the previous one after decoding both', async () => {
    const pane = await mountSelected();
    await pane.findAll('[role="tab"]').find((t) => t.text().includes('Diff'))!.trigger('click');
    await flushPromises();
    const diff = pane.find('[data-testid="monaco-diff"]');
    expect(diff.find('.original').text()).toBe('message 6');
    expect(diff.find('.modified').text()).toBe('message 7');
  });

  it('compares any two messages picked with A and B in History, and goes back to the previous one', async () => {
    history = [summary(7, '21.5'), summary(6, '21.0'), summary(5, '20.5')];
    // happy-dom lays nothing out; the virtual list renders the rows that fit its box, so give it one.
    const width = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
    const height = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    onTestFinished(() => {
      width.mockRestore();
      height.mockRestore();
    });
    const pane = await mountSelected();
    const tab = (label: string) => pane.findAll('[role="tab"]').find((t) => t.text().includes(label))!;
    await tab('History').trigger('click');
    await flushPromises();
    const pickButton = (id: number, side: 'A' | 'B') => pane.findAll(`[data-message-id="${id}"] .history__pick`).find((b) => b.text() === side)!;
    await pickButton(5, 'A').trigger('click');
    await flushPromises();
    expect(pickButton(5, 'A').classes()).toContain('is-on');
    expect(tab('History').attributes('aria-selected')).toBe('true');
    // The second pick completes the pair and opens the Diff tab on it.
    await pickButton(7, 'B').trigger('click');
    await flushPromises();
    expect(tab('Diff').attributes('aria-selected')).toBe('true');
    const diff = () => pane.find('[data-testid="monaco-diff"]');
    expect(diff().find('.original').text()).toBe('message 5');
    expect(diff().find('.modified').text()).toBe('message 7');
    expect(pane.find('[data-testid="diff-sides"]').text()).toMatch(/^A .*#5.*→\s*B .*#7/s);

    await pane.findAll('button').find((b) => b.text() === 'Compare with previous')!.trigger('click');
    await flushPromises();
    expect(diff().find('.original').text()).toBe('message 6');
    expect(diff().find('.modified').text()).toBe('message 7');
    expect(pane.find('[data-testid="diff-sides"]').text()).toMatch(/^Previous .*→\s*Shown /s);
  });
});
