import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import TgTabs from '@renderer/components/ui/TgTabs.vue';

const tabs = [
  { id: 'payload', label: 'Payload' },
  { id: 'history', label: 'History', badge: 12 },
  { id: 'chart', label: 'Chart' },
];

describe('TgTabs', () => {
  it('marks the current tab selected and only it focusable', () => {
    const wrapper = mount(TgTabs, { props: { tabs, modelValue: 'history' } });
    const buttons = wrapper.findAll('[role="tab"]');
    expect(buttons.map((b) => b.attributes('aria-selected'))).toEqual(['false', 'true', 'false']);
    expect(buttons.map((b) => b.attributes('tabindex'))).toEqual(['-1', '0', '-1']);
    expect(buttons[1]?.text()).toContain('12');
  });

  it('selects a tab on click', async () => {
    const wrapper = mount(TgTabs, { props: { tabs, modelValue: 'payload' } });
    await wrapper.findAll('[role="tab"]')[2]?.trigger('click');
    expect(wrapper.emitted('update:modelValue')).toEqual([['chart']]);
  });

  it('moves with the arrow keys and wraps around, Home and End jump to the ends', async () => {
    const wrapper = mount(TgTabs, { props: { tabs, modelValue: 'chart' } });
    const strip = wrapper.find('[role="tablist"]');
    await strip.trigger('keydown', { key: 'ArrowRight' });
    await strip.trigger('keydown', { key: 'ArrowLeft' });
    await strip.trigger('keydown', { key: 'Home' });
    await strip.trigger('keydown', { key: 'End' });
    expect(wrapper.emitted('update:modelValue')).toEqual([['payload'], ['history'], ['payload'], ['chart']]);
  });
});
