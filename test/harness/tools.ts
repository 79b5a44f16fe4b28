// mosquitto_pub / mosquitto_sub as independent MQTT peers: they share no code with Topograph,
// so a round trip through them proves our side against someone else's implementation.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { spawnTracked, stopProcess } from './processes';

const INSTALL_HINT = 'apt-get install -y mosquitto mosquitto-clients openssl';
// stdbuf (coreutils) makes mosquitto_sub line-buffered; see mosquittoSub.
const REQUIRED = ['mosquitto', 'mosquitto_pub', 'mosquitto_sub', 'mosquitto_passwd', 'openssl', 'stdbuf'] as const;
export type HarnessBinary = (typeof REQUIRED)[number];

// Debian installs the broker in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
const resolved = new Map<HarnessBinary, string>();

function findOnPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * Throws when a binary the real-broker tests need is missing. The tests must fail loudly,
 * never skip: a skipped broker suite looks exactly like a passing one in CI output.
 */
export function requireBinaries(names: readonly HarnessBinary[] = REQUIRED): void {
  const missing = names.filter((name) => binaryPath(name, false) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `The real-broker tests need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed. ` +
        `Install them with: ${INSTALL_HINT}${missing.includes('stdbuf') ? ' (stdbuf comes with coreutils)' : ''}`,
    );
  }
}

/** Absolute path of a harness binary; throws with the install command when it is missing. */
export function binaryPath(name: HarnessBinary): string;
export function binaryPath(name: HarnessBinary, mustExist: false): string | undefined;
export function binaryPath(name: HarnessBinary, mustExist = true): string | undefined {
  let found = resolved.get(name);
  if (found === undefined) {
    found = findOnPath(name);
    if (found !== undefined) resolved.set(name, found);
  }
  if (found === undefined && mustExist) requireBinaries([name]);
  return found;
}

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/** Runs a harness binary to completion; rejects with its stderr when it exits non-zero. */
export function runTool(name: HarnessBinary, args: readonly string[], timeoutMs = 15_000): Promise<ToolOutput> {
  const file = binaryPath(name);
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ stdout, stderr });
        return;
      }
      const how = error.killed ? `was killed after ${timeoutMs} ms` : `exited with code ${String(error.code)}`;
      reject(new Error(`${name} ${args.join(' ')} ${how}: ${stderr.trim() || stdout.trim() || error.message}`));
    });
  });
}

/** Publishes with mosquitto_pub (e.g. `['-h', host, '-p', port, '-t', 'a/b', '-m', 'x']`). */
export function mosquittoPub(args: readonly string[], timeoutMs?: number): Promise<ToolOutput> {
  return runTool('mosquitto_pub', args, timeoutMs);
}

export interface MosquittoSubOptions {
  /** Exit after this many messages (`-C count`). */
  count?: number;
  /** Stop the subscriber and resolve with what arrived so far after this long. */
  timeoutMs: number;
}

/**
 * A running mosquitto_sub. Await it for its output lines (resolved after `count` messages or at
 * the timeout, rejected with stderr when mosquitto_sub fails, e.g. a refused CONNECT).
 * `subscribed` resolves once the broker has acknowledged the SUBSCRIBE: publish after that,
 * or the message can go out before the subscription exists.
 */
export interface MosquittoSubscriber extends Promise<string[]> {
  readonly subscribed: Promise<void>;
  /** Ends the subscriber now; the promise then resolves with the lines received so far. */
  stop(): Promise<void>;
}

// mosquitto_sub's `-d` debug lines share stdout with the messages; these are the only shapes
// it prints (see client_shared.c), so they can be told apart from message output.
const DEBUG_LINE = /^(Client \S+ (sending|received) [A-Z]+|Subscribed \(mid: \d+\))/;

/**
 * Spawns mosquitto_sub with `args` (plus `-d`, and `-C count` when given). Its own `-d` lines
 * are filtered out of the result unless `args` asked for `-d`.
 */
export function mosquittoSub(args: readonly string[], options: MosquittoSubOptions): MosquittoSubscriber {
  const ownDebug = !args.includes('-d');
  const subArgs = [...args, ...(ownDebug ? ['-d'] : []), ...(options.count === undefined ? [] : ['-C', String(options.count)])];
  // Into a pipe, stdio is block-buffered: "Subscribed" would only show up at exit, too late to
  // tell the test when to publish. stdbuf -oL makes mosquitto_sub flush every line.
  const child = spawnTracked(binaryPath('stdbuf'), ['-oL', binaryPath('mosquitto_sub'), ...subArgs]);
  let stdout = '';
  let stderr = '';
  let stoppedByUs = false;
  let sawSuback = false;
  let markSubscribed: () => void = () => undefined;
  let failSubscribed: (error: Error) => void = () => undefined;
  const subscribed = new Promise<void>((resolve, reject) => {
    markSubscribed = resolve;
    failSubscribed = reject;
  });
  // Callers that never await `subscribed` must not get an unhandled rejection from it.
  subscribed.catch(() => undefined);

  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
    if (!sawSuback && /^Subscribed \(mid: \d+\)/m.test(stdout)) {
      sawSuback = true;
      markSubscribed();
    }
  });
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });

  const stop = async (): Promise<void> => {
    stoppedByUs = true;
    await stopProcess(child);
  };
  const timer = setTimeout(() => void stop(), options.timeoutMs);

  const lines = new Promise<string[]>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      failSubscribed(error);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const output = stdout.split('\n');
      if (output.at(-1) === '') output.pop();
      const messages = ownDebug ? output.filter((line) => !DEBUG_LINE.test(line)) : output;
      if (code === 0 || stoppedByUs) {
        failSubscribed(new Error(`mosquitto_sub ended before it subscribed: ${stderr.trim()}`));
        resolve(messages);
        return;
      }
      const error = new Error(
        `mosquitto_sub ${args.join(' ')} exited with ${signal ?? `code ${String(code)}`}: ${stderr.trim() || stdout.trim()}`,
      );
      failSubscribed(error);
      reject(error);
    });
  });
  return Object.assign(lines, { subscribed, stop });
}
