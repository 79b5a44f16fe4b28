// Bookkeeping shared by the harness: free ports, tracked child processes and servers, temp
// dirs, and the guarantees that nothing started by a test outlives the test process.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Something the harness started and must stop: a child process or a listening server. */
export interface Stoppable {
  stop(): Promise<void>;
}

interface HarnessState {
  children: Set<ChildProcess>;
  resources: Set<Stoppable>;
  /** Per-process values (e.g. the shared certificates) that must survive module re-imports. */
  memo: Map<string, unknown>;
}

// Vitest re-imports modules for every test file in the same worker; keeping the state on
// globalThis means one exit handler and one set of certificates per process, not per file.
const STATE_KEY = Symbol.for('topograph.test-harness');
const globalSlots = globalThis as typeof globalThis & { [STATE_KEY]?: HarnessState };
const state: HarnessState = (globalSlots[STATE_KEY] ??= createState());

function createState(): HarnessState {
  const created: HarnessState = { children: new Set(), resources: new Set(), memo: new Map() };
  // 'exit' handlers run synchronously, so SIGKILL is all that is left to do there. Vitest may
  // end a worker without 'exit' firing: setpriv's parent-death signal (below) covers that case.
  process.on('exit', () => {
    for (const child of created.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
  return created;
}

// Safety net for suites that forget to stop what they started: stop it when the file ends.
if (process.env.VITEST !== undefined) {
  const { afterAll } = await import('vitest');
  try {
    afterAll(stopAll);
  } catch {
    // Imported outside test collection (e.g. from inside a hook): the suite's own cleanup rules.
  }
}

/** Returns the per-process value for `key`, creating it once. */
export function processMemo<T>(key: string, create: () => T): T {
  if (!state.memo.has(key)) state.memo.set(key, create());
  return state.memo.get(key) as T;
}

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = ((): boolean => {
  try {
    accessSync(SETPRIV, constants.X_OK);
    return process.platform === 'linux';
  } catch {
    return false;
  }
})();

/**
 * Spawns a process that cannot outlive us: on Linux, setpriv (util-linux) sets a parent-death
 * SIGKILL and then execs the command, so the pid is the command's own; elsewhere the 'exit'
 * handler and `stopAll()` remain.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const [file, fullArgs] = hasSetpriv ? [SETPRIV, ['--pdeathsig', 'KILL', command, ...args]] : [command, [...args]];
  const child = spawn(file, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  state.children.add(child);
  child.once('exit', () => state.children.delete(child));
  // Without an 'error' listener a failed spawn (ENOENT) would crash the worker instead of
  // reaching the caller through 'exit'/'close'.
  child.once('error', () => state.children.delete(child));
  return child;
}

/**
 * A fresh temp dir named after this process. Dirs left behind by processes that no longer
 * exist (a killed test run) are swept the first time a process asks for one.
 */
export function harnessTempDir(kind: 'certs' | 'mosquitto'): Promise<string> {
  processMemo('swept', sweepStaleTempDirs);
  return mkdtemp(path.join(os.tmpdir(), `topograph-${kind}-${process.pid}-`));
}

function sweepStaleTempDirs(): true {
  for (const name of readdirSync(os.tmpdir())) {
    const owner = /^topograph-(?:certs|mosquitto)-(\d+)-/.exec(name)?.[1];
    if (owner !== undefined && !isProcessAlive(Number(owner))) {
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
  return true;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the process has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && state.children.has(child);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Registers a resource so `stopAll()` reaches it; returns a function that unregisters it. */
export function trackResource(resource: Stoppable): () => void {
  state.resources.add(resource);
  return () => state.resources.delete(resource);
}

/** Stops every broker, bridge and peer the harness still has running (for `afterAll`). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...state.resources].map((resource) => resource.stop()));
  await Promise.allSettled([...state.children].map((child) => stopProcess(child)));
}

/** A port that was free a moment ago on 127.0.0.1 (bind :0, read it, release it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not read the port of a probe socket.');
  return address.port;
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when nothing listens on the port and it can be bound again right now. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
