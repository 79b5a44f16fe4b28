// A real Mosquitto per suite: its own temp dir, config, log and free ports on 127.0.0.1.
// Tests talk to the same broker the users run, never a mock.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedCerts, type HarnessCerts } from './certs';
import { canConnect, delay, freePort, harnessTempDir, isRunning, spawnTracked, stopProcess, trackResource } from './processes';
import { binaryPath, requireBinaries, runTool } from './tools';
import { startWebSocketBridge, type WebSocketBridge } from './ws-bridge';

export interface MosquittoOptions {
  /** 'anonymous' (default) lets everyone in; 'password' requires one of `users`. */
  auth?: 'anonymous' | 'password';
  /** User name → password; defaults to `{ topograph: 'topograph-secret' }` with password auth. */
  users?: Record<string, string>;
  /** Adds a TLS listener (`tlsPort`); 'mutual' also requires a client cert signed by the harness CA. */
  tls?: false | 'server' | 'mutual';
  /** Which certificate the TLS listeners present; 'expired' is for expiry-error tests. */
  serverCert?: 'valid' | 'expired';
  /** Starts ws and wss bridges in front of the plain listener (`wsPort`, `wssPort`). */
  websocket?: boolean;
  /** Global config lines, placed before the listeners (e.g. `max_packet_size 1000`). */
  extraConfig?: string[];
  /** Listener-scoped lines repeated in every listener (e.g. `max_topic_alias 2`). */
  listenerConfig?: string[];
  /** Contents of an ACL file. */
  acl?: string;
  /** Keep retained messages and sessions across `restart()` (saved on SIGTERM). */
  persistence?: boolean;
}

export interface MosquittoBroker {
  host: '127.0.0.1';
  /** Plain MQTT listener, always present. */
  port: number;
  tlsPort?: number;
  wsPort?: number;
  wssPort?: number;
  certs?: HarnessCerts;
  users: Record<string, string>;
  logFile: string;
  dir: string;
  /** Stops the broker and its bridges, frees every port and deletes `dir`. */
  stop(): Promise<void>;
  /** Stops and starts mosquitto again on the same ports with the same persistence dir. */
  restart(): Promise<void>;
  /** The broker's log so far (with `log_type all` it shows every packet and CONNECT detail). */
  readLog(): string;
  /** Resolves once a log line matches `pattern`; rejects with the log after `timeoutMs`. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
}

const READY_TIMEOUT_MS = 10_000;
const DEFAULT_USERS: Record<string, string> = { topograph: 'topograph-secret' };

interface Ports {
  port: number;
  tlsPort?: number;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  requireBinaries();
  const dir = await harnessTempDir('mosquitto');
  const logFile = path.join(dir, 'mosquitto.log');
  const confFile = path.join(dir, 'mosquitto.conf');
  const auth = options.auth ?? 'anonymous';
  const users = auth === 'password' ? (options.users ?? DEFAULT_USERS) : (options.users ?? {});
  const needsCerts = (options.tls !== undefined && options.tls !== false) || options.websocket === true;
  const certs = needsCerts ? await sharedCerts() : undefined;

  if (auth === 'password') await writePasswordFile(path.join(dir, 'passwd'), users);
  if (options.acl !== undefined) await writeFile(path.join(dir, 'acl'), options.acl);
  if (options.persistence === true) await mkdir(path.join(dir, 'data'));

  let child: ChildProcess | undefined;
  let stderr = '';
  const launch = async (ports: Ports): Promise<void> => {
    await writeFile(logFile, '', { flag: 'a' });
    stderr = '';
    child = spawnTracked(binaryPath('mosquitto'), ['-c', confFile]);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.resume();
    await waitUntilAccepting(child, ports, () => `stderr:\n${stderr.trim()}\nlog:\n${readLogFile(logFile)}`);
  };

  // Another process can grab a probed port before mosquitto binds it; a fresh pick then fixes it.
  let ports: Ports | undefined;
  for (let attempt = 1; ports === undefined; attempt++) {
    const candidate: Ports = { port: await freePort(), ...(options.tls ? { tlsPort: await freePort() } : {}) };
    await writeFile(confFile, renderConfig(options, dir, logFile, candidate, certs));
    try {
      await launch(candidate);
      ports = candidate;
    } catch (error) {
      if (child !== undefined) await stopProcess(child);
      if (attempt >= 3 || !/address already in use/i.test(String(error))) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const fixedPorts = ports;

  let bridges: WebSocketBridge[] = [];
  const startBridges = async (previous: { ws?: number; wss?: number }): Promise<void> => {
    if (options.websocket !== true || certs === undefined || bridges.length > 0) return;
    const target = { host: '127.0.0.1', port: fixedPorts.port };
    const ws = await startWebSocketBridge({ target, ...(previous.ws === undefined ? {} : { port: previous.ws }) });
    const wss = await startWebSocketBridge({
      target,
      ...(previous.wss === undefined ? {} : { port: previous.wss }),
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca.cert, requestCert: options.tls === 'mutual' },
    });
    bridges = [ws, wss];
  };
  await startBridges({});
  const wsPort = bridges[0]?.port;
  const wssPort = bridges[1]?.port;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      untrack();
      await Promise.all(bridges.map((bridge) => bridge.close()));
      bridges = [];
      if (child !== undefined) await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const untrack = trackResource({ stop });

  const restart = async (): Promise<void> => {
    if (stopped !== undefined) throw new Error('This broker was stopped and its directory deleted; start a new one.');
    if (child !== undefined) await stopProcess(child);
    await launch(fixedPorts);
    await startBridges({ ws: wsPort, wss: wssPort });
  };

  const readLog = (): string => readLogFile(logFile);
  const waitForLog = async (pattern: RegExp | string, timeoutMs = 5_000): Promise<string> => {
    const matches = (line: string): boolean => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = readLog().split('\n').find(matches);
      if (line !== undefined) return line;
      if (Date.now() > deadline) {
        throw new Error(`No mosquitto log line matched ${String(pattern)} within ${timeoutMs} ms. Log:\n${readLog()}`);
      }
      await delay(25);
    }
  };

  return {
    host: '127.0.0.1',
    port: fixedPorts.port,
    ...(fixedPorts.tlsPort === undefined ? {} : { tlsPort: fixedPorts.tlsPort }),
    ...(wsPort === undefined ? {} : { wsPort }),
    ...(wssPort === undefined ? {} : { wssPort }),
    ...(certs === undefined ? {} : { certs }),
    users,
    logFile,
    dir,
    stop,
    restart,
    readLog,
    waitForLog,
  };
}

function renderConfig(options: MosquittoOptions, dir: string, logFile: string, ports: Ports, certs: HarnessCerts | undefined): string {
  const lines = [
    // Auth settings apply to all listeners, so plain, TLS and bridged clients are treated alike.
    'per_listener_settings false',
    // As root, mosquitto would otherwise switch to the `mosquitto` user and fail to read our files.
    'user root',
    `allow_anonymous ${options.auth === 'password' ? 'false' : 'true'}`,
    ...(options.auth === 'password' ? [`password_file ${path.join(dir, 'passwd')}`] : []),
    ...(options.acl === undefined ? [] : [`acl_file ${path.join(dir, 'acl')}`]),
    ...(options.persistence === true
      ? ['persistence true', `persistence_location ${path.join(dir, 'data')}${path.sep}`]
      : ['persistence false']),
    `log_dest file ${logFile}`,
    'log_type all',
    'log_timestamp true',
    'connection_messages true',
    ...(options.extraConfig ?? []),
    '',
    `listener ${ports.port} 127.0.0.1`,
    ...(options.listenerConfig ?? []),
  ];
  if (ports.tlsPort !== undefined && certs !== undefined) {
    const server = options.serverCert === 'expired' ? certs.expiredServer : certs.server;
    lines.push(
      '',
      `listener ${ports.tlsPort} 127.0.0.1`,
      `cafile ${certs.ca.certPath}`,
      `certfile ${server.certPath}`,
      `keyfile ${server.keyPath}`,
      `require_certificate ${options.tls === 'mutual' ? 'true' : 'false'}`,
      ...(options.listenerConfig ?? []),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function writePasswordFile(file: string, users: Record<string, string>): Promise<void> {
  const entries = Object.entries(users);
  if (entries.length === 0) throw new Error('Password auth needs at least one user in `users`.');
  await writeFile(file, '');
  // `-b` adds or updates one entry in an existing file; `-c` would truncate it each time.
  for (const [user, password] of entries) await runTool('mosquitto_passwd', ['-b', file, user, password]);
}

function readLogFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function waitUntilAccepting(child: ChildProcess, ports: Ports, diagnostics: () => string): Promise<void> {
  const wanted = [ports.port, ...(ports.tlsPort === undefined ? [] : [ports.tlsPort])];
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const port of wanted) {
    for (;;) {
      if (!isRunning(child)) {
        // Give the stderr pipe a moment to deliver the reason mosquitto gave for exiting.
        await delay(50);
        throw new Error(`mosquitto exited (${String(child.exitCode ?? child.signalCode)}) before listening on 127.0.0.1:${port}.\n${diagnostics()}`);
      }
      if (await canConnect(port)) break;
      if (Date.now() > deadline) {
        throw new Error(`mosquitto did not accept connections on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms.\n${diagnostics()}`);
      }
      await delay(50);
    }
  }
}
