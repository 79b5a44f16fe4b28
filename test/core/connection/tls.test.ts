// TLS and WebSocket transports against a real mosquitto (and the harness's ws/wss bridge):
// trust by CA file or pasted PEM, refusals explained by cause, mutual TLS in its three forms,
// SNI when connecting by IP address, and ALPN on the wire.
import tls from 'node:tls';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mosquittoPub, startMosquitto, stopAll, type HarnessCerts, type MosquittoBroker, type MosquittoOptions } from '../../harness';
import { makePart, waitFor, type ProfileSeed, type TestPart } from './helpers';

const started: MosquittoBroker[] = [];
const parts: TestPart[] = [];
const cleanups: (() => Promise<void>)[] = [];
async function broker(options: MosquittoOptions): Promise<MosquittoBroker & { certs: HarnessCerts }> {
  const b = await startMosquitto(options);
  started.push(b);
  if (b.certs === undefined) throw new Error('The harness gave no certificates.');
  return b as MosquittoBroker & { certs: HarnessCerts };
}
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.part.close()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await Promise.all(started.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

const file = (path: string) => ({ kind: 'file' as const, value: path });
const pem = (text: string) => ({ kind: 'pem' as const, value: text });
const none = { kind: 'none' as const, value: '' };
const tlsDefaults = { ca: none, cert: none, key: none, pfxPath: '', rejectUnauthorized: true, servername: '', alpn: [] as string[] };

async function open(seed: ProfileSeed, secrets: Parameters<TestPart['profiles']['add']>[2] = {}) {
  const t = makePart();
  parts.push(t);
  t.profiles.add('p', { clientId: 'tls-test', ...seed }, secrets);
  const status = await t.part.handlers['connection.open']({ connectionId: 'p' });
  return { ...t, status };
}

describe('TLS', () => {
  it('trusts the broker through a CA file and carries messages', async () => {
    const b = await broker({ tls: 'server' });
    const sub = [{ filter: 'secure/#', qos: 1 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [] }];
    const { status, recording } = await open({
      host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', subscriptions: sub,
      tls: { ...tlsDefaults, ca: file(b.certs.ca.certPath) },
    });
    expect(status.state).toBe('connected');
    expect(status.warning).toBeUndefined();
    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'secure/a', '-m', 'over tls', '-q', '1']);
    await waitFor('the message', () => recording.of('p').length === 1);
    expect(recording.text('p')).toEqual(['over tls']);
  });

  it('connects by IP address with a TLS server name (SNI) the certificate names', async () => {
    const b = await broker({ tls: 'server' });
    const { status } = await open({
      host: '127.0.0.1', port: b.tlsPort ?? 0, transport: 'mqtts',
      tls: { ...tlsDefaults, ca: pem(b.certs.ca.cert), servername: 'broker.test' },
    });
    expect(status.state).toBe('connected');
  });

  it('refuses a certificate that does not name the host, saying how to fix it', async () => {
    const b = await broker({ tls: 'server' });
    const { status, events } = await open({ host: '127.0.0.1', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: pem(b.certs.ca.cert) } });
    expect(status.state).toBe('error');
    expect(status.error).toBe(
      "The broker's certificate is not issued for 127.0.0.1. Connect with a host name the certificate names, or set the TLS server name (SNI) of this profile to one of them (useful when connecting by IP address).",
    );
    expect(events.statuses('p').map((s) => s.state)).not.toContain('reconnecting');
  });

  it('refuses a broker whose CA the profile does not trust', async () => {
    const b = await broker({ tls: 'server' });
    const { status } = await open({ host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(b.certs.otherCa.certPath) } });
    expect(status.state).toBe('error');
    // Node reports this as SELF_SIGNED_CERT_IN_CHAIN or UNABLE_TO_VERIFY_LEAF_SIGNATURE, by what the broker sends.
    expect(status.error).toMatch(/^The broker's certificate (was issued by|chain ends in) a CA that this profile does not trust\. Add the CA certificate that signed it/);
  });

  it('refuses an expired certificate', async () => {
    const b = await broker({ tls: 'server', serverCert: 'expired' });
    const { status } = await open({ host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(b.certs.ca.certPath) } });
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/^The broker's certificate has expired\./);
  });

  it('connects without verification when told to, and warns about it', async () => {
    const b = await broker({ tls: 'server' });
    const { status } = await open({ host: '127.0.0.1', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, rejectUnauthorized: false } });
    expect(status.state).toBe('connected');
    expect(status.warning).toMatch(/^Certificate verification is off/);
  });

  it('explains a missing CA file before opening a socket', async () => {
    const { status } = await open({ host: 'localhost', port: 1, transport: 'mqtts', tls: { ...tlsDefaults, ca: file('/nonexistent/ca.pem') } });
    expect(status.state).toBe('error');
    expect(status.error).toBe('The CA certificate file /nonexistent/ca.pem does not exist. Choose the file again in the TLS settings of this profile.');
  });

  describe('mutual TLS', () => {
    it('connects with a client certificate and key from files', async () => {
      const b = await broker({ tls: 'mutual' });
      const c = b.certs;
      const { status } = await open({
        host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts',
        tls: { ...tlsDefaults, ca: file(c.ca.certPath), cert: file(c.client.certPath), key: file(c.client.keyPath) },
      });
      expect(status.state).toBe('connected');
    });

    it('connects with a pasted, passphrase-protected key', async () => {
      const b = await broker({ tls: 'mutual' });
      const c = b.certs;
      const { status } = await open(
        { host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(c.ca.certPath), cert: pem(c.client.cert), key: pem('') } },
        { keyPem: c.encryptedClientKey.pem, keyPassphrase: c.passphrase },
      );
      expect(status.state).toBe('connected');
    });

    it('connects with a PKCS#12 file and its passphrase', async () => {
      const b = await broker({ tls: 'mutual' });
      const c = b.certs;
      const { status } = await open(
        { host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(c.ca.certPath), pfxPath: c.clientP12.path } },
        { pfxPassphrase: c.passphrase },
      );
      expect(status.state).toBe('connected');
    });

    it('says the passphrase is wrong instead of connecting', async () => {
      const b = await broker({ tls: 'mutual' });
      const c = b.certs;
      const { status } = await open(
        { host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(c.ca.certPath), pfxPath: c.clientP12.path } },
        { pfxPassphrase: 'not the passphrase' },
      );
      expect(status.state).toBe('error');
      expect(status.error).toMatch(/passphrase is wrong or missing/);
    });

    it('is refused without a client certificate, with a sentence about mutual TLS', async () => {
      const b = await broker({ tls: 'mutual' });
      const { status } = await open({ host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts', tls: { ...tlsDefaults, ca: file(b.certs.ca.certPath) } });
      expect(status.state).toBe('error');
      expect(status.error).toMatch(/^The broker did not accept the TLS connection: it wants a client certificate it trusts \(mutual TLS\)\./);
    });

    it('is refused with a client certificate from another CA', async () => {
      const b = await broker({ tls: 'mutual' });
      const c = b.certs;
      const { status } = await open({
        host: 'localhost', port: b.tlsPort ?? 0, transport: 'mqtts',
        tls: { ...tlsDefaults, ca: file(c.ca.certPath), cert: file(c.foreignClient.certPath), key: file(c.foreignClient.keyPath) },
      });
      expect(status.state).toBe('error');
      expect(status.error).toMatch(/^The broker did not accept the TLS connection: it wants a client certificate it trusts \(mutual TLS\)\./);
    });
  });

  it('offers the ALPN protocols and SNI name of the profile in the handshake', async () => {
    const b = await broker({ tls: 'server' });
    // A TLS terminator in front of the broker's plain port, recording what the client offered.
    const seen: { alpn: string | false | null; servername: string | false }[] = [];
    const terminator = tls.createServer({ cert: b.certs.server.cert, key: b.certs.server.key, ALPNProtocols: ['mqtt'] }, (socket) => {
      seen.push({ alpn: socket.alpnProtocol, servername: (socket as tls.TLSSocket & { servername: string | false | null }).servername ?? false });
      const upstream = net.connect({ host: b.host, port: b.port });
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => terminator.close(() => resolve())));
    const { status } = await open({
      host: '127.0.0.1', port: (terminator.address() as net.AddressInfo).port, transport: 'mqtts',
      tls: { ...tlsDefaults, ca: pem(b.certs.ca.cert), servername: 'broker.test', alpn: ['mqtt'] },
    });
    expect(status.state).toBe('connected');
    expect(seen).toEqual([{ alpn: 'mqtt', servername: 'broker.test' }]);
  });
});

describe('WebSocket', () => {
  it('connects over ws and wss (by IP with SNI) through the bridge and receives messages', async () => {
    const b = await broker({ websocket: true });
    const sub = [{ filter: 'web/#', qos: 0 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [] }];
    const ws = await open({ host: '127.0.0.1', port: b.wsPort ?? 0, transport: 'ws', path: '/mqtt', subscriptions: sub });
    const wss = await open({
      host: '127.0.0.1', port: b.wssPort ?? 0, transport: 'wss', path: '/mqtt', subscriptions: sub,
      tls: { ...tlsDefaults, ca: file(b.certs.ca.certPath), servername: 'broker.test' },
    });
    expect([ws.status.state, wss.status.state]).toEqual(['connected', 'connected']);
    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'web/x', '-m', 'framed']);
    await waitFor('both messages', () => ws.recording.of('p').length === 1 && wss.recording.of('p').length === 1);
    expect([...ws.recording.text('p'), ...wss.recording.text('p')]).toEqual(['framed', 'framed']);
  });

  it('refuses wss by IP without a server name, by the certificate names', async () => {
    const b = await broker({ websocket: true });
    const { status } = await open({ host: '127.0.0.1', port: b.wssPort ?? 0, transport: 'wss', tls: { ...tlsDefaults, ca: file(b.certs.ca.certPath) } });
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/^The broker's certificate is not issued for 127\.0\.0\.1\./);
  });
});
