// .ci/run prepares a clean CI machine; its Node check and its root handling are tested here in
// isolation (the script itself runs the whole suite, so it is never run from a test).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from './builder';

const script = readFileSync(join(PROJECT_DIR, '.ci', 'run'), 'utf8');

/** The shell function named `name`, cut out of .ci/run (one line, or up to the closing brace). */
function shellFunction(name: string): string {
  const oneLine = new RegExp(`^${name}\\(\\) \\{.*\\}$`, 'm').exec(script);
  const block = new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, 'm').exec(script);
  const found = oneLine?.[0] ?? block?.[0];
  if (found === undefined) throw new Error(`.ci/run has no function ${name}; update this test with the script.`);
  return found;
}

const switchesNode = (version: string): boolean =>
  spawnSync('bash', ['-c', `set -euo pipefail; ${shellFunction('node_major_ok')}; node_major_ok "$1"`, 'probe', version]).status !== 0;

describe('.ci/run', () => {
  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', join(PROJECT_DIR, '.ci', 'run')])).not.toThrow();
  });

  it('switches to Node 24 whenever the major version is below 24', () => {
    for (const old of ['v18.20.4', 'v20.19.0', 'v22.12.0', 'v22.20.0', 'v23.11.1']) expect(switchesNode(old), old).toBe(true);
    for (const current of ['v24.0.0', 'v24.21.0', 'v25.2.1', 'v100.0.0']) expect(switchesNode(current), current).toBe(false);
  });

  it('switches when node is missing or says something unexpected', () => {
    expect(switchesNode('')).toBe(true);
    expect(switchesNode('not a version')).toBe(true);
  });

  it('runs apt-get through as_root', () => {
    const aptLines = script.split('\n').filter((line) => /\bapt-get\b/.test(line) && !line.trimStart().startsWith('#'));
    expect(aptLines.length).toBeGreaterThan(0);
    for (const line of aptLines) expect(line.trimStart()).toMatch(/^as_root /);
  });

  it('uses sudo only when not root', () => {
    // A fake sudo that reports instead of escalating, to see which way as_root goes.
    const run = (euidTest: string): string =>
      execFileSync('bash', ['-c', `sudo() { echo "sudo $*"; }; ${shellFunction('as_root').replace('"$EUID"', euidTest)}; as_root echo direct`], { encoding: 'utf8' }).trim();
    expect(run('0')).toBe('direct');
    expect(run('1000')).toBe('sudo echo direct');
  });
});
