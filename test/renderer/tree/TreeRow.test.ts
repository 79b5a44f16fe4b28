import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import TreeRow from '@renderer/components/tree/TreeRow.vue';
import { nodeView } from './fakeApi';

const last = (preview: string, previewCut = false) => ({ id: 1, time: 1, size: preview.length, qos: 0 as const, retain: false, preview, previewCut });

describe('TreeRow', () => {
  it('shows the value preview and marks a cut one', () => {
    const cut = mount(TreeRow, { props: { node: nodeView('a', { last: last('{"t":21.5,"h"', true) }), depth: 0, expanded: false } });
    expect(cut.find('.tree-row__preview').text()).toBe('{"t":21.5,"h"');
    expect(cut.find('.tree-row__cut').exists()).toBe(true);

    const whole = mount(TreeRow, { props: { node: nodeView('a', { last: last('21.5') }), depth: 0, expanded: false } });
    expect(whole.find('.tree-row__cut').exists()).toBe(false);
  });

  it("holds the value's place while an outlined row's last message is on its way", async () => {
    const row = mount(TreeRow, { props: { node: nodeView('a'), depth: 0, expanded: false, loading: true } });
    expect(row.find('.tree-row__placeholder').exists()).toBe(true);
    expect(row.classes()).toContain('is-loading');
    await row.setProps({ node: nodeView('a', { last: last('on') }), loading: false });
    expect(row.find('.tree-row__placeholder').exists()).toBe(false);
    expect(row.find('.tree-row__preview').text()).toBe('on');
    // A level without messages of its own has no value to wait for.
    const level = mount(TreeRow, { props: { node: nodeView('b', { messages: 0, childCount: 2 }), depth: 0, expanded: false, loading: true } });
    expect(level.find('.tree-row__placeholder').exists()).toBe(false);
  });

  it('marks retained topics', () => {
    const retained = mount(TreeRow, { props: { node: nodeView('a', { retained: true }), depth: 0, expanded: false } });
    expect(retained.find('.tree-row__retained').attributes('title')).toBe('The broker holds a retained message for this topic');
    const plain = mount(TreeRow, { props: { node: nodeView('a'), depth: 0, expanded: false } });
    expect(plain.find('.tree-row__retained').exists()).toBe(false);
  });

  it('shows topic and message counts of the subtree', () => {
    const row = mount(TreeRow, {
      props: { node: nodeView('home', { childCount: 3, subtreeTopics: 12, subtreeMessages: 48_200, messages: 0 }), depth: 0, expanded: true },
    });
    const badges = row.findAll('.tree-row__badge');
    expect(badges.map((b) => b.text())).toEqual(['12', '48.2K']);
    expect(badges[1]?.attributes('title')).toContain('48,200 messages');
    // A leaf has no topic count of its own to show.
    const leaf = mount(TreeRow, { props: { node: nodeView('home/t', { subtreeMessages: 3 }), depth: 1, expanded: false } });
    expect(leaf.findAll('.tree-row__badge').map((b) => b.text())).toEqual(['3']);
  });

  it('replays the highlight when the node changes again', async () => {
    const row = mount(TreeRow, { props: { node: nodeView('a'), depth: 0, expanded: false, flashKey: 0 } });
    expect(row.find('.tree-row__flash').exists()).toBe(false);
    await row.setProps({ flashKey: 100 });
    const first = row.find('.tree-row__flash').element;
    expect(first).toBeDefined();
    await row.setProps({ flashKey: 200 });
    // A new key means a new element, so the CSS animation starts over.
    expect(row.find('.tree-row__flash').element).not.toBe(first);
  });

  it('names an empty level and indents by depth', () => {
    const row = mount(TreeRow, { props: { node: nodeView('a//b', { name: '' }), depth: 2, expanded: false } });
    expect(row.find('.tree-row__empty').text()).toBe('(empty)');
    expect(row.find('.tree-row__indent').attributes('style')).toContain('28px');
  });

  it('styles $SYS topics apart and highlights search hits as text, not HTML', () => {
    const row = mount(TreeRow, {
      props: { node: nodeView('$SYS/<b>load</b>', { name: '<b>load</b>' }), depth: 1, expanded: false, nameHits: [[3, 7]], match: true },
    });
    expect(row.classes()).toContain('is-sys');
    expect(row.find('mark').text()).toBe('load');
    expect(row.find('b').exists()).toBe(false);
  });

  it('toggles from the chevron without selecting', async () => {
    const row = mount(TreeRow, { props: { node: nodeView('a', { childCount: 2 }), depth: 0, expanded: false } });
    await row.find('.tree-row__chevron').trigger('click');
    expect(row.emitted('toggle')).toHaveLength(1);
    expect(row.emitted('select')).toBeUndefined();
  });
});
