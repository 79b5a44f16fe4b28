// The life of a session against a real mosquitto: what CONNECT carries, the will, reconnecting
// after a broker restart, resuming a persistent session, and cut connections.
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mosquittoPub, mosquittoSub, startMosquitto, stopAll, type MosquittoBroker, type MosquittoOptions } from '../../harness';
import { makePart, startTcpRelay, waitFor, type ProfileSeed, type TcpRelay, type TestPart } from './helpers';

const started: MosquittoBroker[] = [];
const parts: TestPart[] = [];
const relays: TcpRelay[] = [];
async function broker(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const b = await startMosquitto(options);
  started.push(b);
  return b;
}
async function relay(b: MosquittoBroker): Promise<TcpRelay> {
  const r = await startTcpRelay({ host: b.host, port: b.port });
  relays.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.part.close()));
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(started.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

function part(id: string, seed: ProfileSeed, secrets: Parameters<TestPart['profiles']['add']>[2] = {}): TestPart {
  const t = makePart();
  parts.push(t);
  t.profiles.add(id, seed, secrets);
  return t;
}

const subscription = (filter: string, qos: 0 | 1 | 2 = 1) => ({
  filter, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const, userProperties: [],
});

/** The packets in the bytes a client sent, parsed by mqtt-packet (independent of the log). */
function parsePackets(chunks: Buffer[]): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const packets: Packet[] = [];
  parser.on('packet', (packet: Packet) => packets.push(packet));
  parser.parse(Buffer.concat(chunks));
  return packets;
}

describe('session', () => {
  it('sends the CONNECT properties and user properties of the profile on the wire', async () => {
    // Why the bytes and not the broker: mosquitto 2.0 logs no CONNECT properties (user properties
    // included) without a plugin. The relay forwards every byte unchanged, so the CONNECT parsed
    // from its copy is exactly what the broker received, and the accepted CONNACK shows it took them.
    const b = await broker();
    const r = await relay(b);
    const { part: p } = part('props', {
      host: b.host, port: r.port, clientId: 'props', clientIdSuffix: false, sessionExpiryInterval: 120, keepalive: 30,
      connectProperties: {
        receiveMaximum: 20, maximumPacketSize: 100_000, topicAliasMaximum: 5, requestProblemInformation: true, requestResponseInformation: false,
        userProperties: [{ name: 'site', value: 'north' }, { name: 'role', value: 'viewer' }, { name: 'site', value: 'south' }],
      },
    });
    const status = await p.handlers['connection.open']({ connectionId: 'props' });
    expect(status.state).toBe('connected');
    expect(status.connack?.reasonCode).toBe(0);
    // The interleaved order (site, role, site) survives: no warning, and the bytes keep the order.
    expect(status.warning).toBeUndefined();

    const connect = parsePackets(r.fromClient[0] ?? []).find((packet) => packet.cmd === 'connect');
    expect(connect).toMatchObject({
      protocolVersion: 5, clientId: 'props', keepalive: 30,
      properties: {
        sessionExpiryInterval: 120, receiveMaximum: 20, maximumPacketSize: 100_000, topicAliasMaximum: 5,
        requestProblemInformation: true, requestResponseInformation: false,
        userProperties: { site: ['north', 'south'], role: 'viewer' },
      },
    });
    const wire = Buffer.concat(r.fromClient[0] ?? []).toString('latin1');
    expect(wire.indexOf('north')).toBeLessThan(wire.indexOf('viewer'));
    expect(wire.indexOf('viewer')).toBeLessThan(wire.indexOf('south'));
    // And the broker took it: the client is connected under that id.
    await b.waitForLog('as props (p5');
  });

  it('announces a topic alias maximum even when the profile sets none', async () => {
    const b = await broker();
    const r = await relay(b);
    const { part: p } = part('alias', { host: b.host, port: r.port });
    await p.handlers['connection.open']({ connectionId: 'alias' });
    const connect = parsePackets(r.fromClient[0] ?? []).find((packet) => packet.cmd === 'connect');
    expect(connect?.cmd === 'connect' && connect.properties?.topicAliasMaximum).toBeGreaterThan(0);
  });

  it('leaves its will with properties to a subscriber when the network cuts the connection', async () => {
    const b = await broker();
    const r = await relay(b);
    const { part: p, events } = part('will', {
      host: b.host, port: r.port, keepalive: 60,
      reconnect: { enabled: true, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      will: {
        topic: 'status/will', payload: { format: 'hex', value: '6f 66 66' }, qos: 1, retain: false,
        properties: {
          contentType: 'text/plain', responseTopic: 'status/ask', correlationData: { format: 'base64', value: 'AQID' },
          userProperties: [{ name: 'cause', value: 'cut' }],
        },
      },
    });
    const watcher = mosquittoSub(['-h', b.host, '-p', String(b.port), '-V', '5', '-t', 'status/will', '-F', '%t|%p|%C|%R|%x|%P'], { count: 1, timeoutMs: 10_000 });
    await watcher.subscribed;
    expect((await p.handlers['connection.open']({ connectionId: 'will' })).state).toBe('connected');
    r.cut();
    expect(await watcher).toEqual(['status/will|off|text/plain|status/ask|6f6666|cause:cut']);
    await waitFor('reconnecting after the cut', () => events.statuses('will').at(-1)?.state === 'reconnecting');
    expect(events.statuses('will').at(-1)?.error).toMatch(/^The connection to 127\.0\.0\.1:\d+ (was lost|was reset)/);
  });

  it('reconnects with backoff after a broker restart, resubscribes, and receives what is published after', async () => {
    const b = await broker();
    const { part: p, recording, events } = part('restart', {
      host: b.host, port: b.port, reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 1000 }, subscriptions: [subscription('after/#')],
    });
    expect((await p.handlers['connection.open']({ connectionId: 'restart' })).state).toBe('connected');
    await b.restart();
    await waitFor('reconnecting', () => events.statuses('restart').find((s) => s.state === 'reconnecting'));
    const reconnecting = events.statuses('restart').find((s) => s.state === 'reconnecting');
    expect(reconnecting?.attempt).toBe(1);
    expect(reconnecting?.nextRetryAt).toBeTypeOf('number');
    const connected = await waitFor(
      'connected again with the subscription granted',
      () => events.statuses('restart').slice(events.statuses('restart').indexOf(reconnecting ?? events.statuses('restart')[0]!)).find(
        (s) => s.state === 'connected' && s.subscriptions[0]?.status === 'granted',
      ),
      15_000,
    );
    expect(connected.error).toBeUndefined();
    // A fresh broker has no session: the subscription was sent again.
    const log = await p.handlers['log.get']({ connectionId: 'restart', limit: 1000 });
    expect(log.filter((entry) => entry.type === 'subscribe')).toHaveLength(2);
    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'after/restart', '-m', 'still here', '-q', '1']);
    await waitFor('the message after the restart', () => recording.of('restart').length === 1);
    expect(recording.text('restart')).toEqual(['still here']);
  });

  it('resumes a persistent session after a cut: no new SUBSCRIBE, and QoS 1 messages sent meanwhile arrive', async () => {
    const b = await broker();
    const r = await relay(b);
    const { part: p, recording, events } = part('persist', {
      host: b.host, port: r.port, clientId: 'persistent-client', clientIdSuffix: false, clean: false, sessionExpiryInterval: 300,
      reconnect: { enabled: true, initialDelayMs: 1500, maxDelayMs: 1500 }, subscriptions: [subscription('queued/#')],
    });
    expect((await p.handlers['connection.open']({ connectionId: 'persist' })).state).toBe('connected');
    r.cut();
    await waitFor('reconnecting', () => events.statuses('persist').at(-1)?.state === 'reconnecting');
    // While Topograph waits to retry, the broker queues QoS 1 messages for the session.
    await b.waitForLog(/Client persistent-client .*closed its connection|Socket error on client persistent-client/);
    for (const n of [1, 2, 3]) await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'queued/m', '-m', `away ${n}`, '-q', '1']);
    await waitFor('connected again', () => events.statuses('persist').at(-1)?.state === 'connected', 15_000);
    await waitFor('the queued messages', () => recording.of('persist').length === 3);
    expect(recording.text('persist')).toEqual(['away 1', 'away 2', 'away 3']);
    const status = events.statuses('persist').at(-1);
    expect(status?.connack?.sessionPresent).toBe(true);
    expect(status?.subscriptions[0]?.status).toBe('granted');
    const log = await p.handlers['log.get']({ connectionId: 'persist', limit: 1000 });
    expect(log.filter((entry) => entry.type === 'subscribe')).toHaveLength(1);
  });

  it('gets the QoS 1 messages sent while it was closed when it opens again with the same session', async () => {
    const b = await broker();
    const seed = {
      host: b.host, port: b.port, clientId: 'returning', clean: false, sessionExpiryInterval: 300, subscriptions: [subscription('mail/#')],
    };
    const { part: p, recording } = part('returning', seed);
    expect((await p.handlers['connection.open']({ connectionId: 'returning' })).state).toBe('connected');
    await p.handlers['connection.close']({ connectionId: 'returning' });
    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'mail/box', '-m', 'while closed', '-q', '1']);
    const again = await p.handlers['connection.open']({ connectionId: 'returning' });
    expect(again.connack?.sessionPresent).toBe(true);
    await waitFor('the stored message', () => recording.of('returning').length === 1);
    expect(recording.text('returning')).toEqual(['while closed']);
  });

  it('finds its kept session on the next launch although the per-launch suffix option is on', async () => {
    const b = await broker();
    // Each part is one launch of the app, with its own random launch suffix.
    const seed = {
      host: b.host, port: b.port, clientId: 'relaunched', clientIdSuffix: true, clean: false, sessionExpiryInterval: 300, subscriptions: [subscription('mail/#')],
    };
    const first = part('relaunched', seed);
    expect((await first.part.handlers['connection.open']({ connectionId: 'relaunched' })).clientId).toBe('relaunched');
    await first.part.close();
    await mosquittoPub(['-h', b.host, '-p', String(b.port), '-t', 'mail/box', '-m', 'between launches', '-q', '1']);
    const second = part('relaunched', seed);
    const again = await second.part.handlers['connection.open']({ connectionId: 'relaunched' });
    expect(again.clientId).toBe('relaunched');
    expect(again.connack?.sessionPresent).toBe(true);
    await waitFor('the stored message', () => second.recording.of('relaunched').length === 1);
    expect(second.recording.text('relaunched')).toEqual(['between launches']);
  });

  it('backs off instead of hammering when another client keeps taking its session', async () => {
    const b = await broker();
    const { part: p, events } = part('taken', {
      host: b.host, port: b.port, clientId: 'shared-id', clientIdSuffix: false, reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 5000 },
    });
    expect((await p.handlers['connection.open']({ connectionId: 'taken' })).state).toBe('connected');
    // mosquitto_sub reconnects by itself too; mosquitto 2.0 closes the loser's socket without a DISCONNECT.
    const intruder = mosquittoSub(['-h', b.host, '-p', String(b.port), '-V', '5', '-i', 'shared-id', '-t', 'x'], { timeoutMs: 20_000 });
    await intruder.subscribed;
    // Each short-lived connection does not reset the backoff: the attempt count keeps growing.
    const third = await waitFor('a third attempt', () => events.statuses('taken').find((s) => s.state === 'reconnecting' && s.attempt === 3), 20_000);
    expect(third.error).toMatch(/^The connection to 127\.0\.0\.1:\d+ was lost\.$/);
    await intruder.stop();
  });

  it('explains a DISCONNECT from the server and stops when it names another server', async () => {
    const b = await broker();
    const r = await relay(b);
    const { part: p, events } = part('moved', { host: b.host, port: r.port, reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 200 } });
    expect((await p.handlers['connection.open']({ connectionId: 'moved' })).state).toBe('connected');
    // mosquitto 2.0 sends no such DISCONNECT by itself, so the relay puts one on the line for it.
    r.toClients(mqttPacket.generate({ cmd: 'disconnect', reasonCode: 0x9d, properties: { reasonString: 'maintenance', serverReference: 'other.example:1883' } }, { protocolVersion: 5 }));
    const error = await waitFor('the error state', () => events.statuses('moved').find((s) => s.state === 'error'));
    expect(error.error).toBe(
      'The broker closed the connection: server moved (0x9D). The broker said: "maintenance". Connect to other.example:1883 instead: change the host of this profile.',
    );
    const log = await p.handlers['log.get']({ connectionId: 'moved', limit: 100 });
    expect(log.at(-1)?.summary).toBe('DISCONNECT Server moved (0x9D) "maintenance"');
  });

  it('adopts the Server Keep Alive of the CONNACK', async () => {
    const b = await broker({ extraConfig: ['max_keepalive 10'] });
    const { part: p } = part('keepalive', { host: b.host, port: b.port, keepalive: 600 });
    const status = await p.handlers['connection.open']({ connectionId: 'keepalive' });
    expect(status.connack?.serverKeepAlive).toBe(10);
    // With the profile's 600 s no PINGREQ would go out for ten minutes; with the broker's 10 s it comes soon.
    const pings = await waitFor('a PINGREQ', async () => {
      const log = await p.handlers['log.get']({ connectionId: 'keepalive', limit: 100 });
      return log.some((entry) => entry.type === 'pingreq' && entry.direction === 'out');
    }, 20_000);
    expect(pings).toBe(true);
  });
});
