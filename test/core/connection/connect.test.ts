// Connecting to a real mosquitto: anonymous, user name and password on MQTT 5, 3.1.1 and 3.1,
// several connections at once, assigned client ids, and what the protocol log keeps.
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker, type MosquittoOptions } from '../../harness';
import { makePart, waitFor, type TestPart } from './helpers';

const started: MosquittoBroker[] = [];
const parts: TestPart[] = [];
async function broker(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const b = await startMosquitto(options);
  started.push(b);
  return b;
}
function part(): TestPart {
  const p = makePart();
  parts.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.part.close()));
  await Promise.all(started.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

describe('connecting', () => {
  it('connects anonymously with MQTT 5, records the CONNACK and receives a message', async () => {
    const b = await broker();
    const { part: p, profiles, recording, events } = part();
    profiles.add('anon', {
      host: b.host,
      port: b.port,
      clientId: 'anon-client',
      subscriptions: [{ filter: 'greet/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] }],
    });
    const status = await p.handlers['connection.open']({ connectionId: 'anon' });
    expect(status.state).toBe('connected');
    expect(status.clientId).toMatch(/^anon-client-[0-9a-f]{6}$/);
    expect(status.connack?.reasonCode).toBe(0);
    expect(status.subscriptions).toMatchObject([{ filter: 'greet/#', status: 'granted', reasonCode: 1 }]);
    // The broker saw our (suffixed) client id with protocol level 5.
    await b.waitForLog(`as ${status.clientId} (p5`);

    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'greet/world', '-m', 'hello', '-q', '1']);
    await waitFor('the message', () => recording.of('anon').length === 1);
    expect(recording.of('anon')[0]).toMatchObject({ topic: 'greet/world', qos: 1, retain: false });
    expect(recording.text('anon')).toEqual(['hello']);
    expect(events.statuses('anon').map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'connected']));

    await p.handlers['connection.close']({ connectionId: 'anon' });
    expect(events.statuses('anon').at(-1)?.state).toBe('disconnected');
    // A clean DISCONNECT, not a dropped socket.
    await b.waitForLog(`Client ${status.clientId} disconnected.`);
  });

  it('records the client id the broker assigns when the profile leaves it empty (MQTT 5)', async () => {
    const b = await broker();
    const { part: p, profiles } = part();
    profiles.add('assigned', { host: b.host, port: b.port, clientId: '' });
    const status = await p.handlers['connection.open']({ connectionId: 'assigned' });
    expect(status.state).toBe('connected');
    expect(status.connack?.assignedClientIdentifier).toBeTruthy();
    expect(status.clientId).toBe(status.connack?.assignedClientIdentifier);
  });

  for (const protocolVersion of [5, 4, 3] as const) {
    it(`connects with the right password and refuses a wrong one without retrying (protocol ${protocolVersion})`, async () => {
      const b = await broker({ auth: 'password', users: { alice: 'wonderland' } });
      const { part: p, profiles, events } = part();
      const base = { host: b.host, port: b.port, protocolVersion, username: 'alice', clientId: `auth-${protocolVersion}` };
      profiles.add('right', base, { password: 'wonderland' });
      profiles.add('wrong', base, { password: 'looking-glass' });

      const right = await p.handlers['connection.open']({ connectionId: 'right' });
      expect(right.state).toBe('connected');
      expect(right.protocolVersion).toBe(protocolVersion);

      const wrong = await p.handlers['connection.open']({ connectionId: 'wrong' });
      expect(wrong.state).toBe('error');
      if (protocolVersion === 5) {
        // mosquitto answers a wrong password with 0x86 on MQTT 5 and return code 4/5 on 3.x.
        expect(wrong.error).toMatch(/^Broker refused the connection: (bad user name or password \(0x86\)|not authorized \(0x87\))\. Check the user name and password in this profile\.$/);
      } else {
        expect(wrong.error).toMatch(/^Broker refused the connection: (bad user name or password \(return code 4\)|not authorized \(return code 5\))\. Check the user name and password in this profile\.$/);
      }
      // Refused credentials are not retried: no reconnecting state, no second CONNECT.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(events.statuses('wrong').map((s) => s.state)).not.toContain('reconnecting');
      const connects = await p.handlers['log.get']({ connectionId: 'wrong', limit: 100 });
      expect(connects.filter((entry) => entry.type === 'connect')).toHaveLength(1);

      // A manual reconnect is allowed (and refused again).
      const again = await p.handlers['connection.open']({ connectionId: 'wrong' });
      expect(again.state).toBe('error');
    });
  }

  it('keeps several connections open at once, each with its own messages', async () => {
    const [b1, b2] = await Promise.all([broker(), broker()]);
    const { part: p, profiles, recording } = part();
    const sub = [{ filter: 'x', qos: 0 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [] }];
    profiles.add('one', { host: b1.host, port: b1.port, subscriptions: sub });
    profiles.add('two', { host: b2.host, port: b2.port, subscriptions: sub, protocolVersion: 4 });
    const [one, two] = await Promise.all([p.handlers['connection.open']({ connectionId: 'one' }), p.handlers['connection.open']({ connectionId: 'two' })]);
    expect([one.state, two.state]).toEqual(['connected', 'connected']);
    await mosquittoPub(['-h', b1.host, '-p', String(b1.port), '-t', 'x', '-m', 'to one']);
    await mosquittoPub(['-h', b2.host, '-p', String(b2.port), '-t', 'x', '-m', 'to two']);
    await waitFor('both messages', () => recording.of('one').length === 1 && recording.of('two').length === 1);
    expect(recording.text('one')).toEqual(['to one']);
    expect(recording.text('two')).toEqual(['to two']);
    const list = await p.handlers['connection.list']({});
    expect(list.map((s) => s.connectionId).sort()).toEqual(['one', 'two']);
  });

  it('redacts the password in the protocol log and exports it as JSON lines', async () => {
    const b = await broker({ auth: 'password', users: { alice: 'wonderland' } });
    const { part: p, profiles } = part();
    profiles.add('logged', { host: b.host, port: b.port, username: 'alice' }, { password: 'wonderland' });
    await p.handlers['connection.open']({ connectionId: 'logged' });
    const entries = await p.handlers['log.get']({ connectionId: 'logged', limit: 100 });
    const connect = entries.find((entry) => entry.type === 'connect');
    expect(connect?.direction).toBe('out');
    expect(connect?.summary).toContain('user "alice"');
    expect(connect?.detail.password).toBe('‹redacted›');
    expect(entries.find((entry) => entry.type === 'connack')?.summary).toBe('CONNACK Success (0x00)');
    const { text } = await p.handlers['log.export']({ connectionId: 'logged' });
    expect(text).not.toContain('wonderland');
    const lines = text.split('\n').map((line) => JSON.parse(line) as { seq: number });
    expect(lines.map((line) => line.seq)).toEqual(entries.map((entry) => entry.seq));
    // Paging after a sequence number returns only newer entries.
    const first = entries[0];
    expect(first).toBeDefined();
    const after = await p.handlers['log.get']({ connectionId: 'logged', afterSeq: first?.seq ?? 0, limit: 100 });
    expect(after.map((entry) => entry.seq)).toEqual(entries.slice(1).map((entry) => entry.seq));
  });

  it('keeps retrying a broker that is not there, attempt after attempt', async () => {
    const b = await broker();
    const { part: p, profiles, events } = part();
    const port = b.port;
    await b.stop();
    started.splice(started.indexOf(b), 1);
    profiles.add('later', { host: '127.0.0.1', port, reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 400 } });
    const first = await p.handlers['connection.open']({ connectionId: 'later' });
    expect(first.state).toBe('reconnecting');
    expect(first.attempt).toBe(1);
    expect(first.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    expect(first.error).toMatch(/^Nothing accepts connections on 127\.0\.0\.1:\d+\. Check that the broker is running/);
    await waitFor('a second attempt', () => events.statuses('later').some((s) => s.state === 'reconnecting' && s.attempt === 2));
  });

  it('explains a host name that does not resolve', async () => {
    const { part: p, profiles } = part();
    profiles.add('nowhere', { host: 'no-such-broker.invalid', port: 1883 });
    const status = await p.handlers['connection.open']({ connectionId: 'nowhere' });
    expect(status.state).toBe('reconnecting');
    expect(status.error).toMatch(/^The host name no-such-broker\.invalid could not be (found|looked up right now) \(DNS\)\./);
  });

  it('gives up on a peer that accepts TCP but never answers CONNECT, and says so', async () => {
    // Not a broker: a socket that swallows bytes, as a wrong port or a stuck proxy would.
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const { part: p, profiles } = part();
      profiles.add('silent', { host: '127.0.0.1', port, connectTimeoutMs: 1000 });
      const status = await p.handlers['connection.open']({ connectionId: 'silent' });
      expect(status.state).toBe('reconnecting');
      expect(status.error).toBe(
        `The broker at 127.0.0.1:${port} did not answer within 1 second. Check the host, port and transport of this profile, or raise its connect timeout.`,
      );
    } finally {
      silent.close();
    }
  });
});
