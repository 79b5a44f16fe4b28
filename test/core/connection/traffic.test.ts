// Subscriptions and publishing through a live session against a real mosquitto: v5 subscription
// options proven by behaviour, SUBACK / UNSUBACK / PUBACK codes, CONNACK limits, listeners and
// backpressure from the recorder.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { subscriptionSpec, type SubscriptionSpec } from '../../../electron/common/model';
import type { ReceivedMessage } from '../../../electron/core/services';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker, type MosquittoOptions } from '../../harness';
import { makePart, startAliasingRelay, startTcpRelay, waitFor, type ProfileSeed, type TcpRelay, type TestPart } from './helpers';

const started: MosquittoBroker[] = [];
const parts: TestPart[] = [];
const relays: TcpRelay[] = [];
const cleanups: (() => Promise<void>)[] = [];
// Debian ships the dynamic security plugin under the multiarch lib folder of the machine.
const DYNSEC_PLUGIN =
  readdirSync('/usr/lib')
    .map((dir) => path.join('/usr/lib', dir, 'mosquitto_dynamic_security.so'))
    .find((file) => existsSync(file)) ?? '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
async function broker(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const b = await startMosquitto(options);
  started.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.part.close()));
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(started.splice(0).map((b) => b.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(stopAll);

async function connected(id: string, seed: ProfileSeed): Promise<TestPart> {
  const t = makePart();
  parts.push(t);
  t.profiles.add(id, seed);
  const status = await t.part.handlers['connection.open']({ connectionId: id });
  if (status.state !== 'connected') throw new Error(`Not connected: ${status.error ?? status.state}`);
  return t;
}

const spec = (input: Partial<SubscriptionSpec> & { filter: string; qos: 0 | 1 | 2 }): SubscriptionSpec => subscriptionSpec.parse(input);
const text = (payload: string) => new Uint8Array(Buffer.from(payload));
const pub = (b: MosquittoBroker, args: string[]) => mosquittoPub(['-h', b.host, '-p', String(b.port), '-V', '5', ...args]);
const publishOptions = { qos: 1 as const, retain: false, properties: {} };

describe('subscriptions', () => {
  it('honours No Local, and really changes it when the same filter is subscribed again', async () => {
    const b = await broker();
    const { part: p, recording } = await connected('nl', { host: b.host, port: b.port });
    await p.handlers['subscription.add']({ connectionId: 'nl', subscription: spec({ filter: 'loop/#', qos: 1, noLocal: true }) });
    const live = p.sessions.live('nl');
    await live.publish('loop/a', text('own, not echoed'), publishOptions);
    await pub(b, ['-t', 'loop/a', '-m', 'from elsewhere', '-q', '1']);
    await waitFor('the foreign message', () => recording.of('nl').length >= 1);
    expect(recording.text('nl')).toEqual(['from elsewhere']);

    const status = await p.handlers['subscription.add']({ connectionId: 'nl', subscription: spec({ filter: 'loop/#', qos: 1, noLocal: false }) });
    expect(status.subscriptions).toEqual([expect.objectContaining({ filter: 'loop/#', noLocal: false, status: 'granted' })]);
    await live.publish('loop/a', text('own, echoed now'), publishOptions);
    await waitFor('the echo', () => recording.of('nl').length >= 2);
    expect(recording.text('nl')).toEqual(['from elsewhere', 'own, echoed now']);
  });

  it('gets no retained messages with Retain Handling 2, and gets them with 0', async () => {
    const b = await broker();
    await pub(b, ['-t', 'kept/a', '-m', 'retained value', '-r', '-q', '1']);
    const { part: p, recording } = await connected('rh', { host: b.host, port: b.port });
    await p.handlers['subscription.add']({ connectionId: 'rh', subscription: spec({ filter: 'kept/#', qos: 1, retainHandling: 2 }) });
    // A live message after the SUBACK is the fence: anything retained would have come before it.
    await pub(b, ['-t', 'kept/a', '-m', 'live value', '-q', '1']);
    await waitFor('the live message', () => recording.of('rh').length >= 1);
    expect(recording.of('rh').map((m) => [Buffer.from(m.payload).toString(), m.retain])).toEqual([['live value', false]]);

    await p.handlers['subscription.add']({ connectionId: 'rh', subscription: spec({ filter: 'kept/+', qos: 1, retainHandling: 0 }) });
    await waitFor('the retained message', () => recording.of('rh').length >= 2);
    expect(recording.of('rh')[1]).toMatchObject({ topic: 'kept/a', retain: true });
    expect(Buffer.from(recording.of('rh')[1]?.payload ?? []).toString()).toBe('retained value');
  });

  /**
   * mosquitto 2.0's acl_file filters deliveries but grants every SUBSCRIBE; its dynamic security
   * plugin refuses one in the SUBACK (0x87 on MQTT 5, 0x80 on 3.1.1). This broker refuses secret/#.
   */
  async function brokerRefusingSecret(): Promise<MosquittoBroker> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'topograph-dynsec-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = path.join(dir, 'dynsec.json');
    await writeFile(config, JSON.stringify({
      defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: true, unsubscribe: true },
      clients: [],
      groups: [{ groupname: 'anonymous', roles: [{ rolename: 'limited' }], clients: [] }],
      roles: [{ rolename: 'limited', acls: [{ acltype: 'subscribePattern', topic: 'secret/#', priority: 0, allow: false }] }],
      anonymousGroup: 'anonymous',
    }));
    return broker({ extraConfig: [`plugin ${DYNSEC_PLUGIN}`, `plugin_opt_config_file ${config}`] });
  }

  it('shows a subscription the broker refuses with its SUBACK code', async () => {
    const b = await brokerRefusingSecret();
    const subscriptions = [spec({ filter: 'open/#', qos: 1 }), spec({ filter: 'secret/#', qos: 1 })];
    const { part: p } = await connected('denied', { host: b.host, port: b.port, subscriptions });
    expect((await p.handlers['connection.list']({}))[0]?.subscriptions).toEqual([
      expect.objectContaining({ filter: 'open/#', status: 'granted', reasonCode: 1 }),
      expect.objectContaining({
        filter: 'secret/#', status: 'refused', reasonCode: 0x87,
        reasonText: "The broker refused the subscription to secret/#: not authorized (0x87). This user may not subscribe to this filter; check the broker's access rules.",
      }),
    ]);
    const old = await connected('denied-311', { host: b.host, port: b.port, protocolVersion: 4, subscriptions });
    expect((await old.part.handlers['connection.list']({}))[0]?.subscriptions[1]).toMatchObject({ status: 'refused', reasonCode: 0x80 });
  });

  it('tags received messages with subscription identifiers and keeps user properties as a list', async () => {
    const b = await broker();
    const { part: p, recording } = await connected('ids', { host: b.host, port: b.port });
    await p.handlers['subscription.add']({ connectionId: 'ids', subscription: spec({ filter: 'dev/#', qos: 1, subscriptionIdentifier: 7 }) });
    await p.handlers['subscription.add']({ connectionId: 'ids', subscription: spec({ filter: 'dev/+/temp', qos: 1, subscriptionIdentifier: 42 }) });
    await pub(b, ['-t', 'dev/1/temp', '-m', '21.5', '-q', '1', '-D', 'publish', 'user-property', 'unit', 'C', '-D', 'publish', 'user-property', 'unit', 'K',
      '-D', 'publish', 'content-type', 'text/plain', '-D', 'publish', 'correlation-data', 'c-1']);
    // Both subscriptions match: mosquitto sends one copy per subscription, each with its identifier.
    await waitFor('both copies', () => recording.of('ids').length >= 2);
    const ids = recording.of('ids').flatMap((m) => m.properties.subscriptionIdentifiers ?? []);
    expect(ids.sort((x, y) => x - y)).toEqual([7, 42]);
    const message = recording.of('ids')[0];
    expect(message?.properties.userProperties).toEqual([{ name: 'unit', value: 'C' }, { name: 'unit', value: 'K' }]);
    expect(message?.properties.contentType).toBe('text/plain');
    expect(Buffer.from(message?.properties.correlationData ?? []).toString()).toBe('c-1');
  });

  it('removes a subscription with UNSUBSCRIBE and reads the UNSUBACK', async () => {
    const b = await broker();
    const subscriptions = [spec({ filter: 'gone/#', qos: 0 }), spec({ filter: 'fence', qos: 0 })];
    const { part: p, recording } = await connected('un', { host: b.host, port: b.port, subscriptions });
    const { status, unsuback } = await p.handlers['subscription.remove']({ connectionId: 'un', filter: 'gone/#' });
    expect(status.subscriptions.map((s) => s.filter)).toEqual(['fence']);
    expect(unsuback).toEqual({ filter: 'gone/#', code: 0x00, name: 'Success' });
    const log = await p.handlers['log.get']({ connectionId: 'un', limit: 100 });
    expect(log.find((entry) => entry.type === 'unsuback')?.summary).toMatch(/^UNSUBACK id \d+ Success \(0x00\)$/);
    await pub(b, ['-t', 'gone/x', '-m', 'nobody listens']);
    // Messages from one publisher arrive in order: once the fence is in, the other would have been.
    await pub(b, ['-t', 'fence', '-m', 'fence']);
    await waitFor('the fence', () => recording.of('un').length >= 1);
    expect(recording.text('un')).toEqual(['fence']);
    await expect(p.handlers['subscription.remove']({ connectionId: 'un', filter: 'gone/#' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it("returns the broker's UNSUBACK per filter: 0x11 for a filter its session does not hold", async () => {
    const b = await brokerRefusingSecret();
    const subscriptions = [spec({ filter: 'open/#', qos: 1 }), spec({ filter: 'secret/#', qos: 1 })];
    const { part: p } = await connected('unsuback', { host: b.host, port: b.port, subscriptions });
    // The SUBACK refused secret/#, so mosquitto holds no subscription to it and says so.
    const refused = await p.handlers['subscription.remove']({ connectionId: 'unsuback', filter: 'secret/#' });
    expect(refused.unsuback).toEqual({ filter: 'secret/#', code: 0x11, name: 'No subscription existed' });
    expect(refused.status.subscriptions.map((s) => s.filter)).toEqual(['open/#']);
    const granted = await p.handlers['subscription.remove']({ connectionId: 'unsuback', filter: 'open/#' });
    expect(granted.unsuback).toEqual({ filter: 'open/#', code: 0x00, name: 'Success' });
    const log = await p.handlers['log.get']({ connectionId: 'unsuback', limit: 100 });
    expect(log.filter((entry) => entry.type === 'unsuback').map((entry) => entry.summary)).toEqual([
      expect.stringMatching(/No subscription existed \(0x11\)$/),
      expect.stringMatching(/Success \(0x00\)$/),
    ]);
  });

  it('sends no UNSUBSCRIBE while disconnected, and says there is no UNSUBACK', async () => {
    const b = await broker();
    const { part: p } = await connected('offline', { host: b.host, port: b.port, subscriptions: [spec({ filter: 'a/#', qos: 0 })] });
    await b.stop();
    await waitFor('the drop', async () => (await p.handlers['connection.list']({}))[0]?.state !== 'connected');
    const removal = await p.handlers['subscription.remove']({ connectionId: 'offline', filter: 'a/#' });
    expect(removal.unsuback).toBeNull();
    expect(removal.status.subscriptions).toEqual([]);
  });

  it('refuses invalid filters and options the protocol version cannot carry, with sentences', async () => {
    const b = await broker();
    const { part: p } = await connected('bad', { host: b.host, port: b.port });
    await expect(p.handlers['subscription.add']({ connectionId: 'bad', subscription: spec({ filter: 'a/#/b', qos: 0 }) })).rejects.toMatchObject({
      code: 'invalid-argument', message: 'The # wildcard must be the whole last level of the filter, as in sensors/#.',
    });
    await expect(p.handlers['subscription.add']({ connectionId: 'bad', subscription: spec({ filter: '$share/g/a', qos: 0, noLocal: true }) })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    const old = await connected('old', { host: b.host, port: b.port, protocolVersion: 4 });
    await expect(old.part.handlers['subscription.add']({ connectionId: 'old', subscription: spec({ filter: 'a', qos: 0, retainHandling: 2 }) })).rejects.toMatchObject({
      code: 'invalid-argument', message: expect.stringContaining('need MQTT 5'),
    });
  });
});

describe('publishing', () => {
  it('reports QoS 0 as sent, 0x10 as a success with a note, and the packet size as on the wire', async () => {
    const b = await broker();
    const relay = await startTcpRelay({ host: b.host, port: b.port });
    relays.push(relay);
    const { part: p } = await connected('pub', { host: b.host, port: relay.port });
    const live = p.sessions.live('pub');
    const properties = { contentType: 'application/json', userProperties: [{ name: 'k', value: 'v' }], correlationData: new Uint8Array([1, 2, 3]) };
    const zero = await live.publish('out/zero', text('{"n":0}'), { qos: 0, retain: false, properties });
    expect(zero.kind).toBe('sent');
    const one = await live.publish('out/one', new Uint8Array(300), { qos: 1, retain: false, properties });
    expect(one).toMatchObject({ kind: 'acknowledged', reasonCode: 0x10, reasonName: 'No matching subscribers' });
    expect(one.note).toMatch(/0x10 is a success code/);

    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const sizes = new Map<string, number>();
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'publish' && packet.length !== undefined) sizes.set(packet.topic, 1 + (packet.length < 128 ? 1 : packet.length < 16_384 ? 2 : 3) + packet.length);
    });
    parser.parse(Buffer.concat(relay.fromClient[0] ?? []));
    expect(sizes.get('out/zero')).toBe(zero.packetSize);
    expect(sizes.get('out/one')).toBe(one.packetSize);
  });

  it('completes QoS 2 with PUBCOMP and delivers to a subscriber', async () => {
    const b = await broker();
    const { part: p, recording } = await connected('q2', { host: b.host, port: b.port, subscriptions: [spec({ filter: 'exact/#', qos: 2 })] });
    const outcome = await p.sessions.live('q2').publish('exact/once', text('exactly once'), { qos: 2, retain: false, properties: {} });
    expect(outcome).toMatchObject({ kind: 'acknowledged', reasonCode: 0, reasonName: 'Success' });
    await waitFor('the message', () => recording.of('q2').length === 1);
    expect(recording.of('q2')[0]).toMatchObject({ topic: 'exact/once', qos: 2 });
    const log = await p.handlers['log.get']({ connectionId: 'q2', limit: 100 });
    expect(log.filter((e) => e.direction === 'in').map((e) => e.type)).toEqual(expect.arrayContaining(['pubrec', 'pubcomp', 'publish', 'pubrel']));
  });

  it('turns a refused publish into an error with the PUBACK reason', async () => {
    const b = await broker({ acl: 'topic readwrite open/#\n' });
    const { part: p } = await connected('deny', { host: b.host, port: b.port });
    await expect(p.sessions.live('deny').publish('closed/x', text('no'), publishOptions)).rejects.toMatchObject({
      code: 'refused-by-broker',
      message: expect.stringMatching(/^The broker refused the message: Not authorized \(0x87\)\. The broker does not allow this client to publish to this topic/),
    });
  });

  it('keeps to the Maximum QoS and Retain Available of the CONNACK', async () => {
    const b = await broker({ listenerConfig: ['max_qos 1'], extraConfig: ['retain_available false'] });
    const { part: p } = await connected('limits', { host: b.host, port: b.port });
    const live = p.sessions.live('limits');
    expect(live.connack).toMatchObject({ maximumQoS: 1, retainAvailable: false });
    await expect(live.publish('x', text('2'), { qos: 2, retain: false, properties: {} })).rejects.toMatchObject({
      code: 'invalid-argument', message: 'The broker accepts QoS 1 at most (Maximum QoS in its CONNACK). Publish with QoS 0 or 1.',
    });
    await expect(live.publish('x', text('r'), { qos: 0, retain: true, properties: {} })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(live.publish('x', text('ok'), { qos: 1, retain: false, properties: {} })).resolves.toMatchObject({ kind: 'acknowledged' });
  });

  it("refuses a message bigger than the broker's Maximum Packet Size before sending it", async () => {
    const b = await broker({ extraConfig: ['max_packet_size 200'] });
    const { part: p } = await connected('big', { host: b.host, port: b.port });
    const live = p.sessions.live('big');
    expect(live.connack?.maximumPacketSize).toBe(200);
    await expect(live.publish('big', new Uint8Array(500), publishOptions)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^This message makes a 511-byte packet, but the broker accepts at most 200 bytes \(Maximum Packet Size in its CONNACK\)\./),
    });
    // Nothing was sent, and the connection is still fine for a small one.
    expect((await p.handlers['log.get']({ connectionId: 'big', limit: 100 })).some((e) => e.type === 'publish')).toBe(false);
    await expect(live.publish('big', new Uint8Array(10), publishOptions)).resolves.toMatchObject({ kind: 'acknowledged' });
  });

  it("keeps QoS 1 messages in flight within the broker's Receive Maximum", async () => {
    const b = await broker({ listenerConfig: ['max_inflight_messages 2'] });
    const { part: p } = await connected('window', { host: b.host, port: b.port });
    const live = p.sessions.live('window');
    expect(live.connack?.receiveMaximum).toBe(2);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, n) => live.publish('w', text(`n${n}`), publishOptions)));
    expect(outcomes.every((o) => o.kind === 'acknowledged')).toBe(true);
    // Replay the log: at no point were more than two PUBLISHes unacknowledged.
    let inFlight = 0;
    let most = 0;
    for (const entry of await p.handlers['log.get']({ connectionId: 'window', limit: 1000 })) {
      if (entry.type === 'publish' && entry.direction === 'out') most = Math.max(most, ++inFlight);
      if (entry.type === 'puback' && entry.direction === 'in') inFlight--;
    }
    expect(most).toBe(2);
  });

  it('publishes with a topic alias it set before, and explains one it did not', async () => {
    const b = await broker({ listenerConfig: ['max_topic_alias 5'] });
    const { part: p } = await connected('al', { host: b.host, port: b.port });
    const sub = await connected('al-sub', { host: b.host, port: b.port, subscriptions: [spec({ filter: 'aliased/#', qos: 1 })] });
    const live = p.sessions.live('al');
    expect(live.connack?.topicAliasMaximum).toBe(5);
    await expect(live.publish('', text('lost'), { qos: 1, retain: false, properties: { topicAlias: 3 } })).rejects.toMatchObject({
      code: 'invalid-argument', message: expect.stringMatching(/^Topic alias 3 means nothing on this connection yet\./),
    });
    await live.publish('aliased/topic', text('first'), { qos: 1, retain: false, properties: { topicAlias: 3 } });
    await live.publish('', text('second'), { qos: 1, retain: false, properties: { topicAlias: 3 } });
    await waitFor('both messages', () => sub.recording.of('al-sub').length === 2);
    expect(sub.recording.of('al-sub').map((m) => [m.topic, Buffer.from(m.payload).toString()])).toEqual([['aliased/topic', 'first'], ['aliased/topic', 'second']]);
    await expect(live.publish('aliased/topic', text('x'), { qos: 1, retain: false, properties: { topicAlias: 6 } })).rejects.toMatchObject({
      code: 'invalid-argument', message: 'The broker accepts topic aliases 1 to 5 (Topic Alias Maximum in its CONNACK); 6 is out of range.',
    });
  });

  it('refuses a session that is not connected', async () => {
    const { part: p } = makePart();
    expect(() => p.sessions.live('nothing')).toThrow(expect.objectContaining({ code: 'not-connected' }));
  });
});

describe('topic aliases from the broker', () => {
  it('records the real topic of messages that arrive with only an alias, for QoS 0, 1 and 2', async () => {
    const b = await broker();
    const relay = await startAliasingRelay({ host: b.host, port: b.port });
    relays.push(relay);
    const { part: p, recording } = await connected('alias', { host: b.host, port: relay.port, subscriptions: [spec({ filter: 'al/#', qos: 2 })] });
    for (const [n, qos] of [[1, 0], [2, 1], [3, 2], [4, 2], [5, 1]] as const) {
      await pub(b, ['-t', n % 2 === 0 ? 'al/even' : 'al/odd', '-m', `m${n}`, '-q', String(qos)]);
    }
    await waitFor('five messages', () => recording.of('alias').length === 5);
    expect(recording.of('alias').map((m) => [m.topic, Buffer.from(m.payload).toString(), m.properties.topicAlias])).toEqual([
      ['al/odd', 'm1', 1], ['al/even', 'm2', 2], ['al/odd', 'm3', 1], ['al/even', 'm4', 2], ['al/odd', 'm5', 1],
    ]);
    // The wire really carried alias-only packets.
    const log = await p.handlers['log.get']({ connectionId: 'alias', limit: 100 });
    expect(log.filter((e) => e.type === 'publish' && e.direction === 'in' && e.detail.topic === '')).toHaveLength(3);
  });
});

describe('listening and backpressure', () => {
  it('hands messages on a filter to a listener, and unsubscribes when it stops listening', async () => {
    const b = await broker();
    const { part: p, recording } = await connected('ask', { host: b.host, port: b.port });
    const heard: ReceivedMessage[] = [];
    const stop = await p.sessions.live('ask').listen('reply/+', 1, (message) => heard.push(message));
    // A listener's subscription is the engine's own: the person's list stays empty.
    expect((await p.handlers['connection.list']({}))[0]?.subscriptions).toEqual([]);
    await pub(b, ['-t', 'reply/42', '-m', 'answer', '-q', '1']);
    await waitFor('the reply', () => heard.length === 1);
    expect(heard[0]?.topic).toBe('reply/42');
    expect(recording.text('ask')).toEqual(['answer']);
    await stop();
    const log = await p.handlers['log.get']({ connectionId: 'ask', limit: 100 });
    expect(log.some((entry) => entry.type === 'unsubscribe' && entry.summary.includes('reply/+'))).toBe(true);
  });

  it('stops reading from the broker while the recorder holds back, and goes on when it resumes', async () => {
    const b = await broker();
    const { part: p, recording } = await connected('slow', { host: b.host, port: b.port, subscriptions: [spec({ filter: 'flood/#', qos: 1 })] });
    recording.hold = true;
    for (const n of [1, 2, 3]) await pub(b, ['-t', 'flood/x', '-m', `m${n}`, '-q', '1']);
    await waitFor('the first message', () => recording.of('slow').length === 1);
    // The first message is not acknowledged and nothing after it is handed over until resume.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(recording.of('slow')).toHaveLength(1);
    const log = await p.handlers['log.get']({ connectionId: 'slow', limit: 100 });
    expect(log.filter((entry) => entry.type === 'puback' && entry.direction === 'out')).toHaveLength(0);
    recording.hold = false;
    recording.held.splice(0).forEach((resume) => resume());
    await waitFor('the rest', () => recording.of('slow').length === 3);
    expect(recording.text('slow')).toEqual(['m1', 'm2', 'm3']);
    await waitFor('three PUBACKs', async () => (await p.handlers['log.get']({ connectionId: 'slow', limit: 100 })).filter((e) => e.type === 'puback' && e.direction === 'out').length === 3);
  });
});
