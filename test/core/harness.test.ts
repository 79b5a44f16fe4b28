// Proves the real-broker harness itself, so a failing core test points at Topograph, not at
// the broker setup it runs against.
import tls from 'node:tls';
import mqtt from 'mqtt';
import type { ClientOptions as WebSocketClientOptions } from 'ws';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  isPortFree,
  mosquittoPub,
  mosquittoSub,
  startMosquitto,
  stopAll,
  type MosquittoBroker,
  type MosquittoOptions,
} from '../harness';

const started: MosquittoBroker[] = [];
async function broker(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const b = await startMosquitto(options);
  started.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The harness did not provide ${what}.`);
  return value;
}

/** Resolves with the TLS handshake outcome: 'ok' or Node's error code. */
function handshake(options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect(options);
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('ok');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('mosquitto harness', () => {
  it('carries a message between mosquitto_sub and mosquitto_pub on an anonymous broker', async () => {
    const b = await broker();
    const peer = ['-h', b.host, '-p', String(b.port), '-V', '5'];
    const sub = mosquittoSub([...peer, '-t', 'harness/anon', '-i', 'harness-sub'], { count: 1, timeoutMs: 5_000 });
    await sub.subscribed;
    await mosquittoPub([...peer, '-t', 'harness/anon', '-m', 'hello broker']);
    expect(await sub).toEqual(['hello broker']);
    // The log exposes CONNECT details (protocol level p5, client id) for tests that need them.
    expect(await b.waitForLog('as harness-sub (p5')).toContain('127.0.0.1');
  });

  it('refuses a wrong password and accepts the right one', async () => {
    const b = await broker({ auth: 'password', users: { alice: 'wonderland' } });
    const peer = ['-h', b.host, '-p', String(b.port), '-t', 'harness/auth', '-m', 'x', '-u', 'alice'];
    await expect(mosquittoPub([...peer, '-P', 'wrong'])).rejects.toThrow(/not authori[sz]ed|bad user name or password/i);
    await expect(mosquittoPub([...peer.slice(0, -2)])).rejects.toThrow(/not authori[sz]ed/i);
    await expect(mosquittoPub([...peer, '-P', 'wonderland'])).resolves.toBeDefined();
  });

  it('serves TLS that verifies by the harness CA and the names in the server cert', async () => {
    const b = await broker({ tls: 'server' });
    const certs = need(b.certs, 'certificates');
    const tlsPort = need(b.tlsPort, 'a TLS port');
    const pub = ['-p', String(tlsPort), '-t', 'harness/tls', '-m', 'x'];
    await expect(mosquittoPub(['-h', 'localhost', ...pub, '--cafile', certs.ca.certPath])).resolves.toBeDefined();
    await expect(mosquittoPub(['-h', 'localhost', ...pub, '--cafile', certs.otherCa.certPath])).rejects.toThrow();

    const base = { host: '127.0.0.1', port: tlsPort, ca: certs.ca.cert };
    expect(await handshake({ ...base, servername: 'broker.test' })).toBe('ok');
    // 127.0.0.1 is deliberately not in the SAN: connecting by IP needs an explicit servername.
    expect(await handshake(base)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // mosquitto sends the CA along with the server cert, so an unknown CA shows up as a chain error.
    expect(await handshake({ ...base, ca: certs.otherCa.cert, servername: 'localhost' })).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('presents an expired certificate when asked to', async () => {
    const b = await broker({ tls: 'server', serverCert: 'expired' });
    const certs = need(b.certs, 'certificates');
    const code = await handshake({ host: '127.0.0.1', port: need(b.tlsPort, 'a TLS port'), ca: certs.ca.cert, servername: 'localhost' });
    expect(code).toBe('CERT_HAS_EXPIRED');
  });

  it('requires a client certificate from the harness CA for mutual TLS', async () => {
    const b = await broker({ tls: 'mutual' });
    const certs = need(b.certs, 'certificates');
    const tlsPort = need(b.tlsPort, 'a TLS port');
    const pub = ['-h', 'localhost', '-p', String(tlsPort), '--cafile', certs.ca.certPath, '-t', 'harness/mtls', '-m', 'x'];
    await expect(mosquittoPub(pub)).rejects.toThrow();
    await expect(mosquittoPub([...pub, '--cert', certs.foreignClient.certPath, '--key', certs.foreignClient.keyPath])).rejects.toThrow();
    await expect(mosquittoPub([...pub, '--cert', certs.client.certPath, '--key', certs.client.keyPath])).resolves.toBeDefined();

    // The passphrase-protected forms of the client identity work from Node too.
    const base = { host: '127.0.0.1', port: tlsPort, ca: certs.ca.cert, servername: 'broker.test' };
    expect(await handshake({ ...base, cert: certs.client.cert, key: certs.encryptedClientKey.pem, passphrase: certs.passphrase })).toBe('ok');
    expect(await handshake({ ...base, pfx: certs.clientP12.data, passphrase: certs.passphrase })).toBe('ok');
  });

  it('bridges MQTT over ws and wss to the broker', async () => {
    const b = await broker({ websocket: true });
    const certs = need(b.certs, 'certificates');
    // ws hands these to tls.connect; its types omit `servername`, and mqtt.js does not set it for wss.
    const wsOptions: WebSocketClientOptions & { servername: string } = { servername: 'broker.test' };
    const clients = [
      await mqtt.connectAsync(`ws://127.0.0.1:${need(b.wsPort, 'a ws port')}`, { protocolVersion: 5, reconnectPeriod: 0 }),
      await mqtt.connectAsync(`wss://127.0.0.1:${need(b.wssPort, 'a wss port')}`, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        ca: certs.ca.cert,
        wsOptions,
      }),
    ];
    try {
      for (const [index, client] of clients.entries()) {
        const topic = `harness/ws/${index}`;
        await client.subscribeAsync(topic, { qos: 1 });
        const received = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
        await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', topic, '-m', `over bridge ${index}`, '-q', '1']);
        expect(await received).toBe(`over bridge ${index}`);
      }
    } finally {
      await Promise.all(clients.map((client) => client.endAsync()));
    }
  });

  it('delivers the broker refusal through the ws bridge before closing', async () => {
    const b = await broker({ auth: 'password', websocket: true });
    const attempt = mqtt.connectAsync(`ws://127.0.0.1:${need(b.wsPort, 'a ws port')}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      username: 'topograph',
      password: 'wrong',
    });
    // A reason code means the CONNACK made it across, not just a dropped socket. Mosquitto 2.0
    // answers a wrong password with 0x87 (not authorized), not 0x86.
    await expect(attempt).rejects.toMatchObject({ code: 0x87 });
  });

  it("reports mosquitto's own words when it cannot start", async () => {
    await expect(startMosquitto({ extraConfig: ['no_such_option true'] })).rejects.toThrow(/no_such_option/);
  });

  it('frees every port on stop()', async () => {
    const b = await startMosquitto({ tls: 'server', websocket: true });
    const ports = [b.port, b.tlsPort, b.wsPort, b.wssPort].map((port) => need(port, 'a port'));
    await b.stop();
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it('keeps its ports and persisted retained messages across restart()', async () => {
    const b = await broker({ persistence: true, websocket: true });
    const before = { port: b.port, wsPort: b.wsPort };
    const peer = ['-h', b.host, '-p', String(b.port)];
    await mosquittoPub([...peer, '-t', 'harness/kept', '-m', 'survives', '-r', '-q', '1']);
    await b.restart();
    expect({ port: b.port, wsPort: b.wsPort }).toEqual(before);
    expect(await mosquittoSub([...peer, '-t', 'harness/kept'], { count: 1, timeoutMs: 5_000 })).toEqual(['survives']);
    expect(b.readLog()).toMatch(/terminating[\s\S]*version [\d.]+ running/);
  });
});
