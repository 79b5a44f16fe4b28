import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, watchEffect } from 'vue';
import { useSettingsStore } from './settings';

export type ThemeChoice = 'system' | 'light' | 'dark';

const isTheme = (value: unknown): value is ThemeChoice => value === 'system' || value === 'light' || value === 'dark';

/** Theme choice (persisted) and what it resolves to; applied as <html data-theme>. */
export const useUiStore = defineStore('ui', () => {
  const settings = useSettingsStore();
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
  const systemDark = ref(query?.matches ?? false);
  const onChange = (event: MediaQueryListEvent): void => {
    systemDark.value = event.matches;
  };
  query?.addEventListener?.('change', onChange);
  onScopeDispose(() => query?.removeEventListener?.('change', onChange));

  const theme = computed<ThemeChoice>({
    get: () => {
      const stored = settings.get<unknown>('app', 'theme', 'system');
      return isTheme(stored) ? stored : 'system';
    },
    set: (value) => void settings.set('app', 'theme', value),
  });
  const resolvedTheme = computed<'light' | 'dark'>(() =>
    theme.value === 'system' ? (systemDark.value ? 'dark' : 'light') : theme.value,
  );

  watchEffect(() => {
    if (typeof document === 'undefined') return;
    const root = document.documentElement;
    if (theme.value === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme.value;
  });

  function setTheme(value: ThemeChoice): void {
    theme.value = value;
  }

  /** The profile editor: null while closed; profileId null = a new profile (optionally from a preset). */
  const editor = ref<{ profileId: string | null; presetId: string } | null>(null);
  function openEditor(profileId: string | null = null, presetId = ''): void {
    editor.value = { profileId, presetId };
  }
  function closeEditor(): void {
    editor.value = null;
  }

  return { theme, resolvedTheme, setTheme, editor, openEditor, closeEditor };
});
