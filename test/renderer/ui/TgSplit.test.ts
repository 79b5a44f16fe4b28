import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import TgSplit from '@renderer/components/ui/TgSplit.vue';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});

function mountSplit(props: Record<string, unknown> = {}) {
  return mount(TgSplit, {
    props: { direction: 'horizontal', storageKey: 'test', initial: 300, min: 100, max: 600, ...props },
    slots: { first: '<div>left</div>', second: '<div>right</div>' },
  });
}
const firstSize = (wrapper: ReturnType<typeof mountSplit>): string => (wrapper.find('.tg-split__first').element as HTMLElement).style.width;

describe('TgSplit', () => {
  it('grows and shrinks the first pane with the arrow keys, in bigger steps with Shift', async () => {
    const wrapper = mountSplit();
    const gutter = wrapper.find('[role="separator"]');
    expect(firstSize(wrapper)).toBe('300px');
    await gutter.trigger('keydown', { key: 'ArrowRight' });
    expect(firstSize(wrapper)).toBe('316px');
    await gutter.trigger('keydown', { key: 'ArrowLeft', shiftKey: true });
    expect(firstSize(wrapper)).toBe('236px');
    expect(gutter.attributes('aria-valuenow')).toBe('236');
  });

  it('stops at min and max, and Enter goes back to the initial size', async () => {
    const wrapper = mountSplit();
    const gutter = wrapper.find('[role="separator"]');
    await gutter.trigger('keydown', { key: 'Home' });
    expect(firstSize(wrapper)).toBe('100px');
    await gutter.trigger('keydown', { key: 'ArrowLeft' });
    expect(firstSize(wrapper)).toBe('100px');
    await gutter.trigger('keydown', { key: 'End' });
    expect(firstSize(wrapper)).toBe('600px');
    await gutter.trigger('keydown', { key: 'Enter' });
    expect(firstSize(wrapper)).toBe('300px');
  });

  it('remembers the size in the app settings under its storage key', async () => {
    const wrapper = mountSplit();
    await wrapper.find('[role="separator"]').trigger('keydown', { key: 'ArrowRight' });
    expect(api.paramsOf('settings.set')).toContainEqual({ scope: 'app', key: 'split.test', value: 316 });
  });

  it('starts from a remembered size', async () => {
    api.on('settings.get', () => ({ 'split.test': 420 }));
    const wrapper = mountSplit();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await nextTick();
    expect(firstSize(wrapper)).toBe('420px');
  });

  it('sizes the second pane instead when asked, so keys move the gutter the same way on screen', async () => {
    const wrapper = mountSplit({ direction: 'vertical', sized: 'second' });
    const second = (): string => (wrapper.find('.tg-split__second').element as HTMLElement).style.height;
    expect(second()).toBe('300px');
    await wrapper.find('[role="separator"]').trigger('keydown', { key: 'ArrowUp' });
    expect(second()).toBe('316px');
  });
});
