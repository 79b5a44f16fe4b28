import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// Builds the web host (electron/web) into ESM for plain Node; npm packages stay external. The
// payload decode thread's program (decode-worker.js) sits beside index.js, where it looks for it.
const deps = Object.keys(pkg.dependencies ?? {});
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/web',
    emptyOutDir: true,
    target: 'node22',
    rollupOptions: {
      external: [...deps, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((d) => new RegExp(`^${d}(/.*)?$`)),
      input: {
        index: fileURLToPath(new URL('./electron/web/index.ts', import.meta.url)),
        'decode-worker': fileURLToPath(new URL('./electron/core/decode/worker-main.ts', import.meta.url)),
      },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
