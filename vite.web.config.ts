import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// Builds the web host (electron/web) into one ESM file for plain Node; npm packages stay external.
const deps = Object.keys(pkg.dependencies ?? {});
export default defineConfig({
  build: {
    ssr: fileURLToPath(new URL('./electron/web/index.ts', import.meta.url)),
    outDir: 'out/web',
    emptyOutDir: true,
    target: 'node22',
    rollupOptions: {
      external: [...deps, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((d) => new RegExp(`^${d}(/.*)?$`)),
      output: { format: 'esm', entryFileNames: 'index.js' },
    },
  },
});
