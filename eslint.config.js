// @ts-check
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

/**
 * The folder import table of DESIGN.md, enforced: each folder lists what it must never import.
 * A new folder gets a row here the day it is created.
 */
const nodeBuiltins = [...new Set([...builtinModules, ...builtinModules.map((m) => (m.startsWith('node:') ? m : `node:${m}`))])];
const engineOnly = ['mqtt', 'mqtt-packet', 'better-sqlite3', 'ws', 'aedes'];
// The renderer is reached by relative path or by the `@renderer` alias of the Vite and TypeScript configs.
const rendererCode = ['**/renderer/**', '@renderer', '@renderer/**'];
// Static imports are no-restricted-imports' business; require(), createRequire(...)() and import() are
// plain expressions, so they get their own selectors. Any call whose first argument is 'electron' counts,
// since the loader returned by createRequire can be given any name.
const noDynamicElectron = (why) => ({
  'no-restricted-syntax': [
    'error',
    { selector: "ImportExpression[source.value=/^electron(\\/|$)/]", message: why },
    { selector: "CallExpression[arguments.0.value=/^electron(\\/|$)/]", message: why },
  ],
});
const restrict = (names, patterns, why) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: names.map((name) => ({ name, message: why })),
      patterns: patterns.length > 0 ? [{ group: patterns, message: why }] : [],
    },
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/no-v-html': 'error',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: {
      ...restrict(
        ['electron', 'vue', 'pinia', ...nodeBuiltins, ...engineOnly],
        ['electron/*', '@vue/*', '../core/*', '../main/*', '../web/*', '../preload/*', ...rendererCode],
        'electron/common runs anywhere: no Node built-ins, no DOM, no electron, no Vue or Pinia, no engine-only libraries (DESIGN.md).',
      ),
      ...noDynamicElectron('electron/common runs anywhere: it never loads electron, not even lazily (DESIGN.md).'),
    },
  },
  {
    files: ['electron/common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      ...restrict(
        ['electron'],
        ['electron/*', '../main/*', '../../main/*', '../preload/*', '../../preload/*', '../web/*', '../../web/*', ...rendererCode],
        'The engine imports common, Node and npm libraries only: never electron, the Electron shell, the web host or the renderer (DESIGN.md).',
      ),
      ...noDynamicElectron('The engine never loads electron, not even through require or import() (DESIGN.md).'),
    },
  },
  {
    files: ['electron/web/**/*.ts'],
    rules: {
      ...restrict(
        ['electron'],
        ['electron/*', '../main/*', '../../main/*', '../preload/*', '../../preload/*', ...rendererCode],
        'The web host imports common and core only: never electron, the Electron shell or the renderer (DESIGN.md).',
      ),
      ...noDynamicElectron('The web host never loads electron, not even through require or import() (DESIGN.md).'),
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([], ['../web/*', '../preload/*', ...rendererCode], 'electron/main may import common, core and electron only (DESIGN.md).'),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, ...engineOnly],
      ['../core/*', '../main/*', '../web/*', ...rendererCode],
      'The sandboxed preload may import only electron (contextBridge, ipcRenderer) and common types (DESIGN.md).',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: restrict(
      ['electron', ...nodeBuiltins, ...engineOnly],
      ['electron/*', '**/electron/core/**', '**/electron/main/**', '**/electron/web/**', '**/electron/preload/**'],
      'The renderer runs in a browser: only @common and browser libraries, never Node, electron or engine code (DESIGN.md).',
    ),
  },
);
