import type * as Monaco from 'monaco-editor/editor/editor.api.js';

export type MonacoApi = typeof Monaco;

let pending: Promise<MonacoApi> | undefined;

/** Loads Monaco once, on first use (a separate chunk: the window opens without it). */
export function loadMonaco(): Promise<MonacoApi> {
  pending ??= import('./monacoSetup').then((module) => module.monaco);
  return pending;
}

const token = (name: string): string | undefined => {
  if (typeof document === 'undefined') return undefined;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : undefined;
};

/**
 * Defines Topograph's editor theme from the design tokens of the current theme, so editors sit on
 * the same background and selection colours as the rest of the window, and activates it.
 */
export function applyTheme(monaco: MonacoApi, resolved: 'light' | 'dark'): void {
  const colors: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value) colors[key] = value;
  };
  set('editor.background', token('--tg-bg'));
  set('editor.foreground', token('--tg-text'));
  set('editorGutter.background', token('--tg-bg'));
  set('editorLineNumber.foreground', token('--tg-text-faint'));
  set('editorLineNumber.activeForeground', token('--tg-text-muted'));
  set('editor.lineHighlightBackground', token('--tg-row-hover'));
  set('editorWidget.background', token('--tg-bg-elevated'));
  set('editorWidget.border', token('--tg-border'));
  set('focusBorder', token('--tg-accent'));
  const name = resolved === 'dark' ? 'topograph-dark' : 'topograph-light';
  monaco.editor.defineTheme(name, {
    base: resolved === 'dark' ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [
      { token: 'comment', foreground: resolved === 'dark' ? '6f7887' : '8b94a3' },
      { token: 'number.hex', foreground: resolved === 'dark' ? 'b5cea8' : '098658' },
      { token: 'string', foreground: resolved === 'dark' ? 'ce9178' : 'a31515' },
    ],
    colors,
  });
  monaco.editor.setTheme(name);
}

/** Editor options shared by every Topograph editor. */
export function baseOptions(): Monaco.editor.IEditorOptions {
  const mono = typeof document === 'undefined' ? '' : getComputedStyle(document.documentElement).getPropertyValue('--tg-font-mono').trim();
  return {
    automaticLayout: true,
    fontFamily: mono || undefined,
    fontSize: 12,
    lineHeight: 18,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    renderLineHighlightOnlyWhenFocus: true,
    folding: true,
    showFoldingControls: 'mouseover',
    fixedOverflowWidgets: true,
    scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10, useShadows: false },
    padding: { top: 6, bottom: 6 },
    stickyScroll: { enabled: false },
  };
}
