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
    rules: restrict(
      ['electron', ...nodeBuiltins, ...engineOnly],
      ['electron/*', '../core/*', '../main/*', '../web/*', '../preload/*'],
      'electron/common runs anywhere: no Node built-ins, no DOM, no electron, no engine-only libraries (DESIGN.md).',
    ),
  },
  {
    files: ['electron/common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/web/**/*.ts'],
    rules: restrict(['electron'], ['electron/*', '../main/*', '../../main/*', '../preload/*', '../../preload/*', '**/renderer/**'], 'The engine and the web host never import electron or the Electron shell (DESIGN.md).'),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([], ['../web/*', '**/renderer/**', '../preload/*'], 'electron/main may import common, core and electron only (DESIGN.md).'),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, ...engineOnly],
      ['../core/*', '../main/*', '../web/*', '**/renderer/**'],
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
