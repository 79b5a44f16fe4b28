// The demo devices on the built-in broker, received by mqtt.js and mosquitto_sub: realistic traffic
// on about a hundred topics, the pump's Last Will delivered by the broker, Sparkplug B that decodes
// with sparkplug-payload (and Topograph's own decoder) with names from the births, request/response
// over 3.1.1 by payload convention, binary frames.
import sparkplug from 'sparkplug-payload';
import { decode as decodeCbor, Tagged } from 'cborg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { decodePayload } from '../../../electron/core/decode';
import { CBOR_TOPIC, crc16, RAW_TOPIC } from '../../../electron/core/demo/binary';
import { WILL_STATUS_TOPIC } from '../../../electron/core/demo/will-device';
import { mosquittoSub, stopAll } from '../../harness';
import { collect, connectClient, endClients, makeBrokerRig, waitFor, type BrokerRig, type Received } from '../broker/helpers';

const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload lacks spBv1.0');

const rigs: BrokerRig[] = [];
async function demoOnBroker(messagesPerSecond = 50): Promise<{ rig: BrokerRig; port: number }> {
  // Long will timings: only the test cuts the pump.
  const rig = makeBrokerRig({ willTiming: { onlineMs: 3_600_000, offlineMs: 3_600_000 } });
  rigs.push(rig);
  const { port } = await rig.ok('broker.start', { port: 0 });
  const status = await rig.ok('demo.start', { messagesPerSecond });
  expect(status.demo).toMatchObject({ running: true, messagesPerSecond });
  expect(status.demo.targetConnectionId).toBeUndefined();
  return { rig, port };
}
afterEach(async () => {
  await endClients();
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});
afterAll(stopAll);

const text = (m: Received | undefined): string => m?.payload.toString('utf8') ?? '';

describe('demo devices on the built-in broker', () => {
  it('publish about a hundred topics that mqtt.js and mosquitto_sub both receive', async () => {
    const { rig, port } = await demoOnBroker(400);
    // Topics only: binary payloads would split mosquitto_sub's lines.
    const sub = mosquittoSub(['-h', '127.0.0.1', '-p', String(port), '-t', '#', '-F', '%t'], { count: 300, timeoutMs: 20_000 });
    const client = await connectClient(port);
    const got = collect(client);
    await client.subscribeAsync('#');

    const lines = await sub;
    expect(lines).toHaveLength(300);
    const subTopics = new Set(lines);
    expect(subTopics.size).toBeGreaterThan(40);

    const topics = await waitFor('mqtt.js to see at least 85 topics', () => {
      const seen = new Set(got.map((m) => m.topic));
      return seen.size >= 85 ? seen : undefined;
    });
    for (const prefix of ['demo/', 'zigbee2mqtt/', 'homeassistant/', 'spBv1.0/']) expect([...topics].some((t) => t.startsWith(prefix))).toBe(true);

    const first = (topic: string) => waitFor(`a message on ${topic}`, () => got.find((m) => m.topic === topic));
    // A sensor reading: JSON with a value, a unit and an ISO timestamp.
    const reading = await first('demo/building-a/floor-1/room-101/temperature');
    expect(JSON.parse(text(reading))).toMatchObject({ value: expect.any(Number), unit: '°C', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // Retained status and config.
    const deviceStatus = await first('demo/building-a/floor-1/room-101/status');
    expect(deviceStatus.retain).toBe(true);
    expect(text(deviceStatus)).toBe('online');
    expect(JSON.parse(text(await first('demo/building-a/floor-1/room-101/config')))).toMatchObject({ model: 'ClimaSense CS-3' });
    // zigbee2mqtt.
    expect(JSON.parse(text(await first('zigbee2mqtt/bridge/state')))).toEqual({ state: 'online' });
    expect(JSON.parse(text(await first('zigbee2mqtt/bedroom_climate')))).toMatchObject({ linkquality: expect.any(Number), battery: expect.any(Number) });
    // Home Assistant discovery points at topics the demo really publishes.
    const discovery = await waitFor('a discovery document', () => got.find((m) => m.topic.startsWith('homeassistant/sensor/') && m.topic.endsWith('/config')));
    expect(discovery.retain).toBe(true);
    const config = JSON.parse(text(discovery)) as { state_topic: string; unique_id: string };
    await first(config.state_topic);

    const status = await rig.ok('broker.status', {});
    expect(status.demo.topics).toBeGreaterThanOrEqual(85);
    expect(status.demo.topics).toBeLessThanOrEqual(120);
    expect(status.demo.devices).toBeGreaterThan(20);
    expect(status.clients.map((c) => c.clientId)).toEqual(expect.arrayContaining(['topograph-demo', 'topograph-demo-irrigation-pump', 'topograph-demo-sparkplug-gateway-07']));
  });

  it("delivers the pump's Last Will when the demo cuts its connection", async () => {
    const { rig, port } = await demoOnBroker();
    const client = await connectClient(port);
    const got = collect(client);
    await client.subscribeAsync(WILL_STATUS_TOPIC, { qos: 1 });
    await waitFor('the retained online status', () => got.some((m) => text(m) === 'online'));

    expect(await rig.part.demo.killWillDevice()).toBe(true);
    const will = await waitFor('the will', () => got.find((m) => text(m) === 'offline'));
    expect(will).toMatchObject({ topic: WILL_STATUS_TOPIC, qos: 1 });
    await waitFor('the pump to leave the client list', async () =>
      (await rig.ok('broker.status', {})).clients.every((c) => c.clientId !== 'topograph-demo-irrigation-pump'),
    );
    // The will was retained: a newcomer learns the pump is offline.
    const newcomer = await mosquittoSub(['-h', '127.0.0.1', '-p', String(port), '-t', WILL_STATUS_TOPIC, '-F', '%r %p'], { count: 1, timeoutMs: 5000 });
    expect(newcomer).toEqual(['1 offline']);
  });

  it('runs a Sparkplug B edge node whose DATA metrics resolve to the names in its births', async () => {
    const { rig, port } = await demoOnBroker(200);
    const client = await connectClient(port);
    const got = collect(client);
    // Subscribing makes the node rebirth, so a late subscriber still learns the names.
    await client.subscribeAsync('spBv1.0/#', { qos: 1 });
    const nbirth = await waitFor('NBIRTH', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/NBIRTH/Gateway-07'));
    const dbirth = await waitFor('DBIRTH', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/DBIRTH/Gateway-07/Press-1'));
    const ddata = await waitFor('DDATA after the birth', () => got.slice(got.indexOf(dbirth)).find((m) => m.topic === 'spBv1.0/Plant-Demo/DDATA/Gateway-07/Press-1'));
    await waitFor('NDATA', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/NDATA/Gateway-07'));

    const birth = codec.decodePayload(nbirth.payload);
    expect(birth.seq?.toString()).toBe('0');
    const bdSeq = birth.metrics?.find((m) => m.name === 'bdSeq');
    expect(bdSeq).toMatchObject({ type: 'UInt64' });
    expect(birth.metrics?.find((m) => m.name === 'Node Control/Rebirth')).toMatchObject({ type: 'Boolean', value: false });

    const deviceBirth = codec.decodePayload(dbirth.payload);
    const names = new Map((deviceBirth.metrics ?? []).map((m) => [Number(m.alias), m.name]));
    expect([...names.values()]).toContain('Hydraulics/Pressure');
    const data = codec.decodePayload(ddata.payload);
    expect(data.metrics?.length).toBeGreaterThan(0);
    for (const metric of data.metrics ?? []) {
      expect(metric.name ?? undefined).toBeUndefined();
      expect(names.get(Number(metric.alias))).toEqual(expect.any(String));
    }
    // Topograph's inspector decoder names them from the same birth.
    const decoded = JSON.parse(decodePayload(ddata.payload, { decoder: 'auto', topic: ddata.topic, birth: dbirth.payload }).text) as { metrics: { name: string }[]; note?: string };
    expect(decoded.note).toBeUndefined();
    expect(decoded.metrics.every((m) => [...names.values()].includes(m.name))).toBe(true);

    // A clean stop sends DDEATH and NDEATH with the bdSeq of this session's NBIRTH.
    await rig.ok('demo.stop', {});
    const ndeath = await waitFor('NDEATH', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/NDEATH/Gateway-07'));
    expect(ndeath.qos).toBe(1);
    expect(codec.decodePayload(ndeath.payload).metrics?.find((m) => m.name === 'bdSeq')?.value?.toString()).toBe(bdSeq?.value?.toString());
    expect(got.some((m) => m.topic === 'spBv1.0/Plant-Demo/DDEATH/Gateway-07/Press-1')).toBe(true);
  });

  it("gets the Sparkplug node's NDEATH from the broker as its Will when its connection drops, then a new session's births", async () => {
    const { rig, port } = await demoOnBroker();
    const client = await connectClient(port);
    const got = collect(client);
    await client.subscribeAsync('spBv1.0/Plant-Demo/+/Gateway-07', { qos: 1 });
    const birth = await waitFor('NBIRTH', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/NBIRTH/Gateway-07'));
    const bdSeqOf = (m: Received) => codec.decodePayload(m.payload).metrics?.find((metric) => metric.name === 'bdSeq')?.value?.toString();

    expect(rig.part.demo.killSparkplugNode()).toBe(true);
    const will = await waitFor('NDEATH', () => got.find((m) => m.topic === 'spBv1.0/Plant-Demo/NDEATH/Gateway-07'));
    expect(will.qos).toBe(1);
    expect(bdSeqOf(will)).toBe(bdSeqOf(birth));
    // The node comes back with the next bdSeq, as a new MQTT session must.
    const rebirth = await waitFor('the next NBIRTH', () => got.slice(got.indexOf(will)).find((m) => m.topic === 'spBv1.0/Plant-Demo/NBIRTH/Gateway-07'), 15_000);
    expect(Number(bdSeqOf(rebirth))).toBe(Number(bdSeqOf(birth)) + 1);
  });

  it('answers requests by the payload convention 3.1.1 needs: replyTo and correlationId in the JSON', async () => {
    const { port } = await demoOnBroker();
    const client = await connectClient(port);
    const got = collect(client);
    await client.subscribeAsync('test/replies/#', { qos: 1 });
    await client.publishAsync('demo/rpc/thermostat-1/request', JSON.stringify({ method: 'setSetpoint', params: { value: 23 }, replyTo: 'test/replies/1', correlationId: 'abc-1' }), { qos: 1 });
    await client.publishAsync('demo/rpc/thermostat-1/request', JSON.stringify({ method: 'getSetpoint', replyTo: 'test/replies/2', correlationId: 7 }), { qos: 1 });
    await client.publishAsync('demo/rpc/thermostat-1/request', JSON.stringify({ method: 'reboot', replyTo: 'test/replies/3', correlationId: 'x' }), { qos: 1 });
    const replies = await waitFor('three replies', () => (got.length >= 3 ? got : undefined));
    const byTopic = Object.fromEntries(replies.map((m) => [m.topic, JSON.parse(text(m)) as Record<string, unknown>]));
    expect(byTopic['test/replies/1']).toMatchObject({ correlationId: 'abc-1', result: { setpoint: 23 } });
    expect(byTopic['test/replies/2']).toMatchObject({ correlationId: 7, result: { setpoint: 23, unit: '°C' } });
    expect(byTopic['test/replies/3']).toMatchObject({ correlationId: 'x', error: { code: 'unknown-method' } });
  });

  it('publishes a CBOR frame and a raw register frame with a valid checksum', async () => {
    const { port } = await demoOnBroker(400);
    const client = await connectClient(port);
    const got = collect(client);
    await client.subscribeAsync([CBOR_TOPIC, RAW_TOPIC]);
    const cbor = await waitFor('a CBOR frame', () => got.find((m) => m.topic === CBOR_TOPIC));
    const value = decodeCbor(cbor.payload, { tags: Tagged.preserve(1) }) as { counts: number[]; darkFrame: Uint8Array; taken: Tagged };
    expect(value.counts).toHaveLength(12);
    expect(value.darkFrame).toBeInstanceOf(Uint8Array);
    expect(value.taken.tag).toBe(1);
    const raw = await waitFor('a raw frame', () => got.find((m) => m.topic === RAW_TOPIC));
    expect(raw.payload[0]).toBe(0xa5);
    const body = raw.payload.subarray(0, raw.payload.length - 2);
    expect(raw.payload.readUInt16LE(raw.payload.length - 2)).toBe(crc16(body));
    expect(decodePayload(raw.payload, { decoder: 'auto', topic: RAW_TOPIC }).decoder).toBe('hex');
  });

  it('changes its rate while running, and stops with the broker', async () => {
    const { rig, port } = await demoOnBroker();
    expect((await rig.ok('demo.start', { messagesPerSecond: 120 })).demo).toMatchObject({ running: true, messagesPerSecond: 120 });
    const client = await connectClient(port);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const status = await rig.ok('broker.stop', {});
    expect(status.running).toBe(false);
    expect(status.demo.running).toBe(false);
    await closed;
  });

  it('starts the built-in broker itself when it is not running', async () => {
    const rig = makeBrokerRig();
    rigs.push(rig);
    // Port 0 via broker.start is not possible here (demo.start uses the defaults), so only check
    // that it runs somewhere and says where.
    const status = await rig.ok('demo.start', {});
    expect(status.running).toBe(true);
    expect(status.demo.running).toBe(true);
    const client = await connectClient(status.port);
    const got = collect(client);
    await client.subscribeAsync('demo/#');
    await waitFor('demo traffic', () => got.length > 5);
  });
});
