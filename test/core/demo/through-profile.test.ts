// The demo devices publishing through a profile connected to a real mosquitto (the connection part's
// live session): traffic arrives at mosquitto_sub, requests over MQTT 5 get replies on their
// Response Topic with the Correlation Data echoed (asked by mosquitto_rr and by mqtt.js), and a stop
// leaves no retained message behind on someone else's broker.
import { execFile } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createConnectionPart, type ConnectionPart } from '../../../electron/core/connection';
import type { EngineContext } from '../../../electron/core/services';
import { WILL_STATUS_TOPIC } from '../../../electron/core/demo/will-device';
import { mosquittoSub, startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { CollectingEvents, CollectingRecording, TestProfiles } from '../connection/helpers';
import { makeBrokerRig, waitFor, type BrokerRig } from '../broker/helpers';

interface ProfileRig {
  broker: MosquittoBroker;
  connection: ConnectionPart;
  demo: BrokerRig;
}
const open: ProfileRig[] = [];

async function demoThroughProfile(protocolVersion: 4 | 5): Promise<ProfileRig> {
  const broker = await startMosquitto();
  const profiles = new TestProfiles();
  profiles.add('plant', { host: broker.host, port: broker.port, protocolVersion });
  const ctx: EngineContext = { dataDir: '/nonexistent', host: 'web', version: 'test', events: new CollectingEvents(), problems: [] };
  const connection = createConnectionPart(ctx, { profiles, recording: new CollectingRecording() });
  const demo = makeBrokerRig({ willTiming: { onlineMs: 3_600_000, offlineMs: 3_600_000 } }, connection.sessions);
  const rig = { broker, connection, demo };
  open.push(rig);
  const status = await connection.handlers['connection.open']({ connectionId: 'plant' });
  expect(status.state).toBe('connected');
  return rig;
}
afterEach(async () => {
  for (const rig of open.splice(0)) {
    await rig.demo.close();
    await rig.connection.close();
    await rig.broker.stop();
  }
});
afterAll(stopAll);

function mosquittoRr(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_rr', args, { timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout.trim()))),
  );
}

describe('demo devices through a connected profile', () => {
  it('publishes realistic traffic that mosquitto_sub receives, never starting the built-in broker', async () => {
    const { broker, demo } = await demoThroughProfile(5);
    const sub = mosquittoSub(['-h', broker.host, '-p', String(broker.port), '-t', '#', '-F', '%t'], { count: 200, timeoutMs: 20_000 });
    await sub.subscribed;
    const status = await demo.ok('demo.start', { connectionId: 'plant', messagesPerSecond: 300 });
    expect(status.running).toBe(false);
    expect(status.demo).toMatchObject({ running: true, targetConnectionId: 'plant', messagesPerSecond: 300 });
    const topics = new Set(await sub);
    expect(topics.size).toBeGreaterThan(40);
    expect(topics).toContain('spBv1.0/Plant-Demo/NBIRTH/Gateway-07');
    expect([...topics].some((t) => t.startsWith('zigbee2mqtt/'))).toBe(true);
  });

  it('answers MQTT 5 requests on their Response Topic with the same Correlation Data', async () => {
    const { broker, demo } = await demoThroughProfile(5);
    await demo.ok('demo.start', { connectionId: 'plant' });
    const port = String(broker.port);
    const reply = await mosquittoRr(['-h', broker.host, '-p', port, '-t', 'demo/rpc/thermostat-1/request', '-e', 'test/rr/reply', '-m', '{"method":"getSetpoint"}', '-W', '5']);
    expect(JSON.parse(reply)).toMatchObject({ result: { setpoint: 21.5, unit: '°C' } });

    const client = await mqtt.connectAsync({ host: broker.host, port: broker.port, protocolVersion: 5, reconnectPeriod: 0 });
    try {
      await client.subscribeAsync('test/v5/reply', { qos: 1 });
      const answer = new Promise<{ payload: Buffer; correlation?: Buffer; contentType?: string }>((resolve) =>
        client.once('message', (_topic, payload, packet) =>
          resolve({ payload, ...(packet.properties?.correlationData ? { correlation: packet.properties.correlationData } : {}), ...(packet.properties?.contentType ? { contentType: packet.properties.contentType } : {}) }),
        ),
      );
      const correlation = Buffer.from([0, 1, 254, 255]);
      await client.publishAsync('demo/rpc/thermostat-1/request', '{"method":"ping"}', { qos: 1, properties: { responseTopic: 'test/v5/reply', correlationData: correlation } });
      const got = await answer;
      expect(got.correlation).toEqual(correlation);
      expect(got.contentType).toBe('application/json');
      expect(JSON.parse(got.payload.toString())).toMatchObject({ result: 'pong' });
    } finally {
      await client.endAsync();
    }
  });

  it('takes the pump offline itself (one shared connection, no will) and clears every retained topic at stop', async () => {
    const { broker, demo } = await demoThroughProfile(4);
    const port = String(broker.port);
    await demo.ok('demo.start', { connectionId: 'plant' });
    const retained = await mosquittoSub(['-h', broker.host, '-p', port, '-t', '#', '--retained-only', '-F', '%t'], { timeoutMs: 1500 });
    expect(retained).toContain(WILL_STATUS_TOPIC);
    expect(retained.some((t) => t.startsWith('homeassistant/'))).toBe(true);

    const watch = mosquittoSub(['-h', broker.host, '-p', port, '-t', WILL_STATUS_TOPIC, '-F', '%r %p'], { count: 2, timeoutMs: 10_000 });
    await watch.subscribed;
    expect(await demo.part.demo.killWillDevice()).toBe(true);
    expect(await watch).toEqual(['1 online', '0 offline']);

    const stopped = await demo.ok('demo.stop', {});
    expect(stopped.demo.running).toBe(false);
    await waitFor('no retained message left', async () => {
      const left = await mosquittoSub(['-h', broker.host, '-p', port, '-t', '#', '--retained-only', '-F', '%t'], { timeoutMs: 1000 });
      return left.length === 0;
    });
  });

  it('refuses to publish through a profile that is not connected', async () => {
    const { demo } = await demoThroughProfile(5);
    const result = await demo.call('demo.start', { connectionId: 'elsewhere' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-connected' } });
    expect((await demo.ok('broker.status', {})).demo.running).toBe(false);
  });
});
