// publish.send against a real mosquitto, with mosquitto_sub (-V 5, every property printed) as the
// independent receiver: properties round-trip exactly, aliases, acknowledgements, retain, and
// refusals that send nothing.
import mqttPacket, { type IPublishPacket, type Packet } from 'mqtt-packet';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PayloadSource } from '../../../electron/common/api';
import type { PublishOutcome } from '../../../electron/common/session';
import { startMosquitto, stopAll, type MosquittoBroker, type MosquittoOptions } from '../../harness';
import { startTcpRelay, type TcpRelay } from '../connection/helpers';
import { connect, hex, makeRig, rawSubscriber, text, waitFor, type PublishRig, type RawSubscriber } from './helpers';

const brokers: MosquittoBroker[] = [];
const rigs: PublishRig[] = [];
const subs: RawSubscriber[] = [];
const relays: TcpRelay[] = [];
async function broker(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const b = await startMosquitto(options);
  brokers.push(b);
  return b;
}
async function rig(): Promise<PublishRig> {
  const r = await makeRig();
  rigs.push(r);
  return r;
}
async function subscriber(b: MosquittoBroker, filter: string): Promise<RawSubscriber> {
  const s = rawSubscriber(b, filter);
  subs.push(s);
  await s.subscribed;
  return s;
}
afterEach(async () => {
  await Promise.all(subs.splice(0).map((s) => s.stop()));
  await Promise.all(rigs.splice(0).map((r) => r.close()));
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

function publishPackets(chunks: Buffer[]): IPublishPacket[] {
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const packets: Packet[] = [];
  parser.on('packet', (packet: Packet) => packets.push(packet));
  parser.parse(Buffer.concat(chunks));
  return packets.filter((packet): packet is IPublishPacket => packet.cmd === 'publish');
}

describe('properties', () => {
  it('delivers every MQTT 5 property exactly as set', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'p', b);
    const sub = await subscriber(b, 'dev/#');
    const correlation = new Uint8Array([0x00, 0xff, 0x80, 0x10, 0x7f, 0xc3, 0x28]);
    const outcome = await r.ok<PublishOutcome>('publish.send', {
      connectionId: 'p',
      message: {
        topic: 'dev/ä/cmd',
        payload: { format: 'json', value: '{"on": true}' },
        qos: 1,
        properties: {
          payloadFormatIndicator: true,
          messageExpiryInterval: 3600,
          contentType: 'application/json; charset=utf-8',
          responseTopic: 'dev/ä/reply',
          correlationData: correlation,
          userProperties: [
            { name: 'trace', value: 'one' },
            { name: 'trace', value: 'two' },
            { name: 'site', value: 'nörd' },
          ],
        },
      },
    });
    expect(outcome).toMatchObject({ kind: 'acknowledged', reasonCode: 0, reasonName: 'Success' });
    const [got] = await sub.waitFor(1);
    expect(got).toMatchObject({
      topic: 'dev/ä/cmd',
      userProperties: 'trace:one trace:two site:nörd',
      contentType: 'application/json; charset=utf-8',
      responseTopic: 'dev/ä/reply',
      formatIndicator: '1',
      payloadHex: hex('{"on": true}'),
      correlationHex: Buffer.from(correlation).toString('hex'),
    });
    // The broker forwards the remaining lifetime: at most what was set, and no more than a second less.
    expect(Number(got?.expiry)).toBeGreaterThanOrEqual(3599);
    expect(Number(got?.expiry)).toBeLessThanOrEqual(3600);
  });

  // mqtt.js's map shape would group repeated names; the connection part sends one pair at a time.
  it('sends interleaved user property names in the order they were set', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'p', b);
    const sub = await subscriber(b, 'order');
    await r.ok('publish.send', {
      connectionId: 'p',
      message: {
        topic: 'order',
        payload: text('x'),
        qos: 0,
        properties: { userProperties: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'a', value: '3' }] },
      },
    });
    const [first] = await sub.waitFor(1);
    expect(first).toMatchObject({ userProperties: 'a:1 b:2 a:3', payloadHex: hex('x') });
  });

  it('sends payloads given as hex, base64 and file bytes byte for byte', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'p', b);
    const sub = await subscriber(b, 'bin/#');
    const send = (topic: string, payload: PayloadSource) => r.ok('publish.send', { connectionId: 'p', message: { topic, payload, qos: 0 } });
    await send('bin/hex', { format: 'hex', value: '00 ff\n10 80' });
    await send('bin/base64', { format: 'base64', value: 'AP8QgA==' });
    await send('bin/file', { format: 'bytes', value: new Uint8Array([0, 255, 16, 128]) });
    const got = await sub.waitFor(3);
    expect(got.map((m) => [m.topic, m.payloadHex])).toEqual([
      ['bin/hex', '00ff1080'],
      ['bin/base64', '00ff1080'],
      ['bin/file', '00ff1080'],
    ]);
  });
});

describe('acknowledgements and retain', () => {
  it('reports QoS 0 as sent and the reason codes of QoS 1 and 2 with the packet that carried them', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'p', b);
    const send = (topic: string, qos: 0 | 1 | 2) => r.ok<PublishOutcome>('publish.send', { connectionId: 'p', message: { topic, payload: text('x'), qos } });

    const sent = await send('nobody/listens', 0);
    expect(sent).toMatchObject({ kind: 'sent' });
    expect(sent.packet).toBeUndefined();
    // 0x10: accepted, but no subscriber matched; a success with a note.
    const lonely = await send('nobody/listens', 1);
    expect(lonely).toMatchObject({ kind: 'acknowledged', packet: 'puback', reasonCode: 0x10, reasonName: 'No matching subscribers' });
    expect(lonely.note).toMatch(/0x10 is a success code/);
    // mosquitto 2.0 answers a QoS 2 publish nobody subscribed to with PUBREC 0x00: PUBCOMP decides.
    expect(await send('nobody/listens', 2)).toMatchObject({ kind: 'acknowledged', packet: 'pubcomp', reasonName: 'Success' });

    const sub = await subscriber(b, 'watched');
    expect(await send('watched', 1)).toMatchObject({ kind: 'acknowledged', packet: 'puback', reasonCode: 0, reasonName: 'Success' });
    expect(await send('watched', 2)).toMatchObject({ kind: 'acknowledged', packet: 'pubcomp', reasonCode: 0, reasonName: 'Success' });
    expect((await sub.waitFor(2)).map((m) => m.qos)).toEqual(['1', '2']);
  });

  it('retains a message for a subscriber that comes later', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'p', b);
    await r.ok('publish.send', { connectionId: 'p', message: { topic: 'state/lamp', payload: text('on'), qos: 1, retain: true } });
    const later = await subscriber(b, 'state/lamp');
    const [got] = await later.waitFor(1);
    expect(got).toMatchObject({ topic: 'state/lamp', payloadHex: hex('on'), retain: '1' });
  });
});

describe('topic aliases', () => {
  it('assigns aliases automatically: topic and alias first, then the alias alone, reusing the oldest when all are taken', async () => {
    const b = await broker({ listenerConfig: ['max_topic_alias 2'] });
    const relay = await startTcpRelay({ host: b.host, port: b.port });
    relays.push(relay);
    const r = await rig();
    await connect(r, 'p', { ...b, port: relay.port });
    const sub = await subscriber(b, 'alias/#');
    const topics = ['alias/a', 'alias/a', 'alias/b', 'alias/a', 'alias/c', 'alias/c', 'alias/b'];
    const notes: (string | undefined)[] = [];
    for (const [i, topic] of topics.entries()) {
      const outcome = await r.ok<PublishOutcome>('publish.send', { connectionId: 'p', message: { topic, payload: text(String(i)), qos: 1, autoTopicAlias: true } });
      notes.push(outcome.note);
    }
    // What the subscriber sees: every message under its own topic.
    const got = await sub.waitFor(topics.length);
    expect(got.map((m) => [m.topic, Buffer.from(m.payloadHex, 'hex').toString()])).toEqual(topics.map((t, i) => [t, String(i)]));
    // What went on the wire: (topic, alias) pairs, with the topic left out once the alias stands for it.
    const wire = publishPackets(relay.fromClient[0] ?? []).map((p) => [p.topic, p.properties?.topicAlias]);
    expect(wire).toEqual([
      ['alias/a', 1],
      ['', 1],
      ['alias/b', 2],
      ['', 1],
      ['alias/c', 2], // alias/b was used least recently: its alias now stands for alias/c
      ['', 2],
      ['alias/b', 1],
    ]);
    expect(notes[1]).toMatch(/Sent as topic alias 1, without the topic/);
  });

  it('defines aliases again after a reconnect, since mappings end with the network connection', async () => {
    const b = await broker({ listenerConfig: ['max_topic_alias 2'] });
    const relay = await startTcpRelay({ host: b.host, port: b.port });
    relays.push(relay);
    const r = await rig();
    await connect(r, 'p', { ...b, port: relay.port }, { reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 200 } });
    const sub = await subscriber(b, 'again/#');
    const send = (payload: string) => r.ok('publish.send', { connectionId: 'p', message: { topic: 'again/x', payload: text(payload), qos: 1, autoTopicAlias: true } });
    await send('1');
    await send('2');
    relay.cut();
    await waitFor('the reconnect', async () => {
      const [status] = await r.connection.handlers['connection.list']({});
      return status?.state === 'connected' && relay.fromClient.length === 2;
    });
    await send('3');
    expect((await sub.waitFor(3)).map((m) => m.topic)).toEqual(['again/x', 'again/x', 'again/x']);
    expect(publishPackets(relay.fromClient[1] ?? []).map((p) => [p.topic, p.properties?.topicAlias])).toEqual([['again/x', 1]]);
  });

  it('sends a manual alias, then an empty topic with that alias, under the right topic', async () => {
    const b = await broker({ listenerConfig: ['max_topic_alias 3'] });
    const r = await rig();
    await connect(r, 'p', b);
    const sub = await subscriber(b, 'manual/#');
    await r.ok('publish.send', { connectionId: 'p', message: { topic: 'manual/x', payload: text('1'), qos: 0, properties: { topicAlias: 3 } } });
    await r.ok('publish.send', { connectionId: 'p', message: { topic: '', payload: text('2'), qos: 1, properties: { topicAlias: 3 } } });
    expect((await sub.waitFor(2)).map((m) => m.topic)).toEqual(['manual/x', 'manual/x']);
  });
});

describe('refusals', () => {
  it('refuses invalid input with a sentence and sends nothing', async () => {
    const b = await broker({ listenerConfig: ['max_topic_alias 2'], extraConfig: ['max_packet_size 2000'] });
    const r = await rig();
    await connect(r, 'p', b);
    const sub = await subscriber(b, '#');
    const base = { topic: 'ok/topic', payload: text('x'), qos: 0 as const };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['wildcard topic', { ...base, topic: 'a/+/b' }, /cannot contain the wildcards/],
      ['bad hex', { ...base, payload: { format: 'hex', value: '01 zz' } }, /not valid hex: 'z'/],
      ['invalid JSON', { ...base, payload: { format: 'json', value: '{"a": 1,}' } }, /not valid JSON: .*line 1, column 9/],
      ['non-UTF-8 with format indicator', { ...base, payload: { format: 'hex', value: 'c3 28' }, properties: { payloadFormatIndicator: true } }, /not valid UTF-8/],
      // [MQTT-3.3.2-8]: the publish rules' sentence, not a schema message about the field.
      ['alias 0', { ...base, properties: { topicAlias: 0 } }, /^The topic alias must be between 1 and 2, the broker's Topic Alias Maximum\.$/],
      ['alias above the maximum', { ...base, properties: { topicAlias: 3 } }, /between 1 and 2/],
      ['empty topic with an unknown alias', { ...base, topic: '', properties: { topicAlias: 1 } }, /does not stand for a topic on this connection yet/],
      ['oversized packet', { ...base, payload: text('x'.repeat(2000)) }, /would be 2,0\d\d bytes, but the broker accepts at most 2,000 bytes/],
      ['invalid response topic', { ...base, properties: { responseTopic: 'r/#' } }, /response topic cannot contain the wildcards/],
    ];
    for (const [name, message, expected] of cases) {
      const result = await r.call('publish.send', { connectionId: 'p', message: message as never });
      expect(result.ok, name).toBe(false);
      if (!result.ok) {
        expect(result.error.code, name).toBe('invalid-argument');
        expect(result.error.message, name).toMatch(expected);
      }
    }
    await r.ok('publish.send', { connectionId: 'p', message: { ...base, topic: 'sentinel', payload: text('after') } });
    const [first] = await sub.waitFor(1);
    expect(first).toMatchObject({ topic: 'sentinel', payloadHex: hex('after') });
    // Refusals are not publishes: the history holds only the sentinel.
    const history = await r.ok<{ request: { topic: string } }[]>('publish.history', { connectionId: 'p' });
    expect(history.map((entry) => entry.request.topic)).toEqual(['sentinel']);
  });

  it('sends a plain message on MQTT 3.1.1 and refuses MQTT 5 properties there', async () => {
    const b = await broker();
    const r = await rig();
    await connect(r, 'old', b, { protocolVersion: 4 });
    const sub = await subscriber(b, 'v311/#');
    const refused = await r.call('publish.send', {
      connectionId: 'old',
      message: { topic: 'v311/a', payload: text('x'), qos: 1, properties: { contentType: 'text/plain' } },
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/^MQTT 3\.1\.1 has no PUBLISH properties/);
    const outcome = await r.ok<PublishOutcome>('publish.send', { connectionId: 'old', message: { topic: 'v311/b', payload: text('plain'), qos: 1, autoTopicAlias: true } });
    expect(outcome.kind).toBe('acknowledged');
    const [got] = await sub.waitFor(1);
    expect(got).toMatchObject({ topic: 'v311/b', contentType: '', alias: '', payloadHex: hex('plain') });
  });

  it('says so when the connection is not open', async () => {
    const r = await rig();
    r.profiles.add('closed', { host: '127.0.0.1', port: 1 });
    const result = await r.call('publish.send', { connectionId: 'closed', message: { topic: 'a', payload: text('x'), qos: 0 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-connected' } });
  });
});
