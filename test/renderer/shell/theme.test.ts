import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ThemeSwitcher from '@renderer/components/shell/ThemeSwitcher.vue';
import { applyTheme, type MonacoApi } from '@renderer/components/monaco/loader';
import { useUiStore } from '@renderer/stores/ui';
import { installFakeApi, type FakeApi } from './fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});
afterEach(() => {
  delete document.documentElement.dataset.theme;
});

describe('theme override', () => {
  it('starts by following the system, and an override is applied to the page and saved', async () => {
    const ui = useUiStore();
    const systemDark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    expect(ui.theme).toBe('system');
    expect(ui.resolvedTheme).toBe(systemDark ? 'dark' : 'light');
    expect(document.documentElement.dataset.theme).toBeUndefined();

    const wrapper = mount(ThemeSwitcher);
    await wrapper.find('button[aria-label="Dark theme"]').trigger('click');
    await flushPromises();
    expect(ui.theme).toBe('dark');
    expect(ui.resolvedTheme).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(wrapper.find('button[aria-label="Dark theme"]').attributes('aria-checked')).toBe('true');
    expect(api.paramsOf('settings.set')).toEqual([{ scope: 'app', key: 'theme', value: 'dark' }]);

    await wrapper.find('button[aria-label="Light theme"]').trigger('click');
    await flushPromises();
    expect(ui.resolvedTheme).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');

    // Back to the system: the attribute goes, so the stylesheet's prefers-color-scheme decides again.
    await wrapper.find('button[aria-label="Follow the system theme"]').trigger('click');
    await flushPromises();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(ui.resolvedTheme).toBe(systemDark ? 'dark' : 'light');
    wrapper.unmount();
  });

  it('takes the saved choice at start, and ignores a saved value that is no theme', async () => {
    api.on('settings.get', () => ({ theme: 'dark' }));
    const ui = useUiStore();
    expect(ui.theme).toBe('system');
    await flushPromises();
    expect(ui.theme).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');

    setActivePinia(createPinia());
    delete document.documentElement.dataset.theme;
    api.on('settings.get', () => ({ theme: 'sepia' }));
    const other = useUiStore();
    await flushPromises();
    expect(other.theme).toBe('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe("Monaco's theme", () => {
  /** Records what the wrappers ask of Monaco's editor namespace, the only part applyTheme touches. */
  function recordingMonaco(): { monaco: MonacoApi; defined: { name: string; base: string }[]; active: string[] } {
    const defined: { name: string; base: string }[] = [];
    const active: string[] = [];
    const editor = {
      defineTheme: (name: string, data: { base: string }) => defined.push({ name, base: data.base }),
      setTheme: (name: string) => active.push(name),
    };
    return { monaco: { editor } as unknown as MonacoApi, defined, active };
  }

  it('defines and activates a dark theme on vs-dark and a light one on vs, from the resolved theme', () => {
    const { monaco, defined, active } = recordingMonaco();
    applyTheme(monaco, 'dark');
    applyTheme(monaco, 'light');
    expect(defined).toEqual([
      { name: 'topograph-dark', base: 'vs-dark' },
      { name: 'topograph-light', base: 'vs' },
    ]);
    expect(active).toEqual(['topograph-dark', 'topograph-light']);
  });
});
