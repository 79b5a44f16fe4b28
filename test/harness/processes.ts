// Bookkeeping shared by the harness: free ports, tracked child processes and servers, and
// the guarantees that nothing started by a test outlives the test process.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

/** Something the harness started and must stop: a child process or a listening server. */
export interface Stoppable {
  stop(): Promise<void>;
}

const liveChildren = new Set<ChildProcess>();
const liveResources = new Set<Stoppable>();

// A crashed or aborted test run must not leave brokers holding ports: 'exit' handlers run
// synchronously, so the only thing left to do there is SIGKILL.
process.on('exit', () => {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Spawns a process that is SIGKILLed on process exit if nobody stopped it before. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  // Without an 'error' listener a failed spawn (ENOENT) would crash the worker instead of
  // reaching the caller through 'exit'/'close'.
  child.once('error', () => liveChildren.delete(child));
  return child;
}

/** True while the process has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && liveChildren.has(child);
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
  liveResources.add(resource);
  return () => liveResources.delete(resource);
}

/** Stops every broker, bridge and peer the harness still has running (for `afterAll`). */
export async function stopAll(): Promise<void> {
  const resources = [...liveResources];
  await Promise.allSettled(resources.map((resource) => resource.stop()));
  await Promise.allSettled([...liveChildren].map((child) => stopProcess(child)));
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
