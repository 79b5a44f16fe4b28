#!/usr/bin/env node
// `npm test`: checks what the suite needs, then lint, typecheck, build, and every Vitest project.
// A missing Mosquitto or Chromium fails with the command that installs it; nothing is skipped silently.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';

const fail = (message) => {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  fail(`Node ${process.versions.node} is too old: Topograph needs Node 22.12 or newer (Node 24 LTS recommended).
  Install it, e.g.: npm install --prefix ~/.node24 node@24 && export PATH=~/.node24/node_modules/.bin:$PATH`);
}

const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = ['mosquitto', 'mosquitto_pub', 'mosquitto_sub', 'mosquitto_passwd', 'openssl'].filter((b) => !onPath(b) && !existsSync(`/usr/sbin/${b}`));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) missing.push(`chromium (looked at ${chromium}; set CHROMIUM_PATH to use another)`);
if (missing.length > 0) {
  fail(`Missing for the tests: ${missing.join(', ')}.
  On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y mosquitto mosquitto-clients chromium openssl`);
}

const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) fail(`${label} failed.`);
};

const only = process.argv.slice(2);
if (only.length === 0) {
  run('lint', 'npx', ['eslint', '.']);
  run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  run('build', 'npm', ['run', '--silent', 'build']);
}
mkdirSync('test-results', { recursive: true });
console.log('\n▶ tests');
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...only], {
  stdio: 'inherit',
  env: process.env,
});
let summary = '';
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
} catch {
  summary = '0 passed, 1 failed';
}
console.log(`\nTests: ${summary}`);
process.exit(vitest.status ?? 1);
