/** The web host's command line: flags to options, with the warnings a person must see. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost } from './auth';

export interface CliOptions {
  host: string;
  port: number;
  dataDir: string;
  demo: boolean;
}

export type CliParse =
  | { kind: 'run'; options: CliOptions; warnings: string[] }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: npm run web -- [options]      (or: node out/web/index.js [options])

Serves Topograph to a browser and to scripts (JSON-RPC over WebSocket, see docs/API.md).

Options:
  --port N          Port to listen on (default: a free port).
  --host H          Address to listen on (default: 127.0.0.1). 0.0.0.0 opens it to the network.
  --data-dir DIR    Where profiles, settings and recorded messages live (default: ~/.topograph-web).
  --demo            Start the built-in broker and the demo publisher, with a profile for them.
  --help            Show this text.

Open the address it prints: it carries the access token (?token=...).`;

export const defaultDataDir = (home = homedir()): string => join(home, '.topograph-web');

export function networkWarning(host: string): string {
  return (
    `Warning: listening on ${host}, so every machine that can reach this one on the network can open ` +
    'Topograph, and anyone who has the token can read your profiles and messages and publish as you. ' +
    'Share the address only on a network you trust; the default --host 127.0.0.1 keeps it on this machine.'
  );
}

export function parseCli(argv: readonly string[], home = homedir()): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { kind: 'error', message: `${cause}\nRun with --help to see the options.` };
  }
  if (values.help) return { kind: 'help', text: USAGE };

  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      return { kind: 'error', message: `--port needs a number from 0 to 65535 (0 = any free port), not "${values.port}".` };
    }
  }
  const host = (values.host ?? '127.0.0.1').trim();
  if (host === '' || /[\s/]/.test(host)) {
    return { kind: 'error', message: `--host needs an address such as 127.0.0.1 or 0.0.0.0, not "${values.host ?? ''}".` };
  }
  const warnings = isLoopbackHost(host) ? [] : [networkWarning(host)];
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir(home);
  return { kind: 'run', options: { host, port, dataDir, demo: values.demo }, warnings };
}
