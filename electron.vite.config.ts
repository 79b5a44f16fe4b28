import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The payload decode thread's program sits beside index.js, where decode-thread.ts looks.
      rollupOptions: {
        input: { index: here('./electron/main/index.ts'), 'decode-worker': here('./electron/core/decode/worker-main.ts') },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Bundle zod and the contract in: a sandboxed preload cannot require anything but electron.
      externalizeDeps: false,
      // A sandboxed preload can require nothing but `electron`: one self-contained CommonJS file.
      rollupOptions: {
        input: { index: here('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: here('./renderer'),
    resolve: { alias: { '@common': here('./electron/common'), '@renderer': here('./renderer/src') } },
    plugins: [vue()],
    build: {
      outDir: here('./out/renderer'),
      rollupOptions: { input: { index: here('./renderer/index.html') } },
    },
  },
});
