import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE, parseCli, type CliParse } from '../../electron/web/cli';

const run = (parsed: CliParse) => {
  if (parsed.kind !== 'run') throw new Error(`expected run, got ${parsed.kind}: ${JSON.stringify(parsed)}`);
  return parsed;
};

describe('web host command line', () => {
  it('defaults to 127.0.0.1, a free port and ~/.topograph-web, with no warning', () => {
    const parsed = run(parseCli([], '/home/ana'));
    expect(parsed.options).toEqual({ host: '127.0.0.1', port: 0, dataDir: join('/home/ana', '.topograph-web'), demo: false });
    expect(parsed.warnings).toEqual([]);
  });

  it('reads --port, --host, --data-dir and --demo', () => {
    const parsed = run(parseCli(['--port', '8080', '--host', 'localhost', '--data-dir', 'some/dir', '--demo']));
    expect(parsed.options).toEqual({ host: 'localhost', port: 8080, dataDir: resolve('some/dir'), demo: true });
    expect(parsed.warnings).toEqual([]);
    expect(run(parseCli(['--port=0'])).options.port).toBe(0);
  });

  it('warns clearly when --host 0.0.0.0 opens it to the network', () => {
    const parsed = run(parseCli(['--host', '0.0.0.0']));
    expect(parsed.options.host).toBe('0.0.0.0');
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toContain('0.0.0.0');
    expect(parsed.warnings[0]).toContain('anyone who has the token');
  });

  it('shows the usage for --help', () => {
    expect(parseCli(['--help'])).toEqual({ kind: 'help', text: USAGE });
    expect(USAGE).toContain('--data-dir');
  });

  it('refuses bad values and unknown flags with a sentence', () => {
    for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--host', ''], ['--bogus'], ['positional']]) {
      const parsed = parseCli(argv);
      expect(parsed.kind, argv.join(' ')).toBe('error');
      if (parsed.kind === 'error') expect(parsed.message.length).toBeGreaterThan(10);
    }
  });
});
