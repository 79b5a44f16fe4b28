#!/usr/bin/env node
// `npm run bench [suite ...] [-- --messages=N --topics=T --runs=R]`: bundles each suite's
// TypeScript with Vite (SSR build: Node target, npm packages left external) into out/bench/<suite>
// and runs it with this Node. Results land in bench-results/<suite>.json.
//
// A suite is one entry of SUITES: its entry files (the first one is run) and the folder they live
// in. To add one (e.g. the renderer benchmark), add bench/<name>/... and a SUITES entry.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @type {Record<string, { entries: Record<string, string>; description: string }>} */
const SUITES = {
  engine: {
    description: 'MQTT receive path: bare mqtt.js ceiling vs. tree + SQLite store, store queries, search',
    entries: {
      main: 'bench/engine/main.ts',
      subscriber: 'bench/engine/subscriber.ts',
      publisher: 'bench/engine/publisher.ts',
    },
  },
  renderer: {
    description: 'Renderer in headless Chromium: 100,000-topic tree shown, frame times under 5,000 msg/s, JS heap (needs `npm run build`)',
    entries: {
      main: 'bench/renderer/main.ts',
      publisher: 'bench/renderer/publisher.ts',
    },
  },
};

const args = process.argv.slice(2);
const named = args.filter((arg) => !arg.startsWith('--'));
const passThrough = args.filter((arg) => arg.startsWith('--'));
const unknown = named.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}.`);
  process.exit(2);
}
const selected = named.length > 0 ? named : Object.keys(SUITES);

const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(`The benchmarks need Node 22 or newer (better-sqlite3's prebuilt binary); this is ${process.version}.`);
  process.exit(2);
}

async function bundle(name, suite) {
  const { build } = await import('vite');
  const outDir = path.join(root, 'out', 'bench', name);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: true,
      target: 'node22',
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(suite.entries).map(([key, file]) => [key, path.join(root, file)])),
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  });
  return path.join(outDir, `${Object.keys(suite.entries)[0]}.js`);
}

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...passThrough], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

let failed = 0;
for (const name of selected) {
  const suite = SUITES[name];
  console.log(`\n== bench ${name}: ${suite.description}`);
  const entry = await bundle(name, suite);
  const code = await run(entry);
  if (code !== 0) {
    console.error(`bench ${name} failed (exit ${code}).`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
