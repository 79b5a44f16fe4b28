// The built-in broker (aedes) against independent peers: mqtt.js clients and mosquitto_sub.
// Retained messages and QoS 1/2, the port fallback and release, credentials, and the client list.
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import type { BrokerStatus } from '../../../electron/common/api';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, isPortFree, mosquittoPub, mosquittoSub, stopAll } from '../../harness';
import { collect, connectClient, endClients, makeBrokerRig, waitFor, type BrokerRig } from './helpers';

const rigs: BrokerRig[] = [];
const servers: net.Server[] = [];
function rig(): BrokerRig {
  const made = makeBrokerRig();
  rigs.push(made);
  return made;
}
afterEach(async () => {
  await endClients();
  await Promise.all(rigs.splice(0).map((r) => r.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});
afterAll(stopAll);

async function occupy(port: number): Promise<void> {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

describe('built-in broker', () => {
  it('listens on the chosen port on 127.0.0.1 and says it speaks MQTT 3.1.1', async () => {
    const port = await freePort();
    const status = await rig().ok('broker.start', { port });
    expect(status).toMatchObject({ running: true, host: '127.0.0.1', port, addresses: ['127.0.0.1'], protocolVersion: 4, authRequired: false });
    expect(status.message).toBeUndefined();
    await expect(connectClient(port, { protocolVersion: 5 })).rejects.toThrow(/protocol version/i);
    await connectClient(port);
  });

  it('keeps retained messages and delivers QoS 1 and 2 to mosquitto_sub and mqtt.js', async () => {
    const { port } = await rig().ok('broker.start', { port: 0 });
    await mosquittoPub(['-h', '127.0.0.1', '-p', String(port), '-t', 'plant/valve', '-m', 'open', '-q', '1', '-r']);
    const publisher = await connectClient(port);
    await publisher.publishAsync('plant/pump', 'running', { qos: 2, retain: true });

    // Subscribers that arrive later get both retained messages, at the QoS they were stored with.
    const sub = mosquittoSub(['-h', '127.0.0.1', '-p', String(port), '-t', 'plant/#', '-q', '2', '-F', '%r %q %t %p'], { count: 3, timeoutMs: 10_000 });
    await sub.subscribed;
    const late = await connectClient(port);
    const got = collect(late);
    await late.subscribeAsync('plant/#', { qos: 2 });
    await publisher.publishAsync('plant/line', 'live', { qos: 1 });

    // Retained messages may arrive after a live one: aedes streams them once the SUBACK is out.
    const lines = await sub;
    expect(lines.sort()).toEqual(['0 1 plant/line live', '1 1 plant/valve open', '1 2 plant/pump running']);
    await waitFor('mqtt.js to get three messages', () => got.length >= 3);
    expect(got.map((m) => `${m.retain ? 1 : 0} ${m.qos} ${m.topic} ${m.payload.toString()}`).sort()).toEqual([
      '0 1 plant/line live',
      '1 1 plant/valve open',
      '1 2 plant/pump running',
    ]);

    // An empty retained message clears the topic [MQTT-3.3.1-10].
    await publisher.publishAsync('plant/valve', '', { qos: 1, retain: true });
    const after = await mosquittoSub(['-h', '127.0.0.1', '-p', String(port), '-t', 'plant/#', '--retained-only', '-F', '%t'], { timeoutMs: 1500 });
    expect(after).toEqual(['plant/pump']);
  });

  it('falls back to a free port with a sentence when the chosen one is taken', async () => {
    const port = await freePort();
    await occupy(port);
    const status = await rig().ok('broker.start', { port });
    expect(status.port).not.toBe(port);
    expect(status.message).toBe(`Port ${port} was taken; the local broker listens on ${status.port} instead.`);
    await connectClient(status.port);
  });

  it('falls back when a second broker starts on the port the first one holds', async () => {
    const port = await freePort();
    const first = await rig().ok('broker.start', { port });
    const second = await rig().ok('broker.start', { port });
    expect(first.port).toBe(port);
    expect(second.port).not.toBe(port);
    expect(second.message).toMatch(new RegExp(`^Port ${port} was taken; the local broker listens on ${second.port} instead\\.$`));
  });

  it('releases its port and disconnects its clients when stopped', async () => {
    const port = await freePort();
    const r = rig();
    await r.ok('broker.start', { port });
    const client = await connectClient(port);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const status = await r.ok('broker.stop', {});
    expect(status).toMatchObject({ running: false, clients: [] });
    await closed;
    expect(await isPortFree(port)).toBe(true);
    await occupy(port);
  });

  it('stops with the engine (close) and frees the port', async () => {
    const port = await freePort();
    const r = makeBrokerRig();
    await r.ok('broker.start', { port });
    await r.close();
    expect(await isPortFree(port)).toBe(true);
  });

  it('refuses clients without the user name and password once they are set', async () => {
    const r = rig();
    const status = await r.ok('broker.start', { port: 0, username: 'ana', password: 's3cret' });
    expect(status.authRequired).toBe(true);
    const port = String(status.port);
    await expect(connectClient(status.port)).rejects.toThrow(/not authorized|bad user/i);
    await expect(connectClient(status.port, { username: 'ana', password: 'wrong' })).rejects.toThrow(/bad user ?name or password/i);
    await expect(connectClient(status.port, { username: 'anna', password: 's3cret' })).rejects.toThrow(/bad user ?name or password/i);
    await expect(mosquittoSub(['-h', '127.0.0.1', '-p', port, '-t', '#', '-u', 'ana', '-P', 'nope'], { count: 1, timeoutMs: 5000 })).rejects.toThrow(/bad user name or password/i);

    const sub = mosquittoSub(['-h', '127.0.0.1', '-p', port, '-t', 'door', '-u', 'ana', '-P', 's3cret'], { count: 1, timeoutMs: 10_000 });
    await sub.subscribed;
    await mosquittoPub(['-h', '127.0.0.1', '-p', port, '-t', 'door', '-m', 'closed', '-u', 'ana', '-P', 's3cret']);
    expect(await sub).toEqual(['closed']);
  });

  it('refuses a password without a user name, which MQTT 3.1.1 does not allow', async () => {
    const result = await rig().call('broker.start', { port: 0, password: 'alone' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    if (!result.ok) expect(result.error.message).toMatch(/^A password needs a user name/);
  });

  it('lists its clients with their subscriptions and reports changes as broker.status events', async () => {
    const r = rig();
    const { port } = await r.ok('broker.start', { port: 0 });
    const lastEvent = () => r.events.filter((e) => e.type === 'broker.status').at(-1);
    const lampIn = (status: BrokerStatus | undefined) => status?.clients.find((c) => c.clientId === 'desk-lamp');

    const client = await connectClient(port, { clientId: 'desk-lamp' });
    await client.subscribeAsync(['lamp/set', 'lamp/+/config']);
    // Events are throttled, so intermediate states may be skipped; the latest one always arrives.
    const seen = await waitFor('an event with the client and both subscriptions', () => {
      const event = lastEvent();
      const lamp = event?.type === 'broker.status' ? lampIn(event.status) : undefined;
      return lamp?.subscriptions.length === 2 ? lamp : undefined;
    });
    expect([...seen.subscriptions].sort()).toEqual(['lamp/+/config', 'lamp/set']);
    expect(seen.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(lampIn(await r.ok('broker.status', {}))).toEqual(seen);

    await client.unsubscribeAsync('lamp/set');
    await waitFor('the unsubscribe', async () => lampIn(await r.ok('broker.status', {}))?.subscriptions.length === 1);
    await client.endAsync();
    await waitFor('an event without the client', () => {
      const event = lastEvent();
      return event?.type === 'broker.status' && event.status.running && event.status.clients.length === 0;
    });
    expect((await r.ok('broker.status', {})).clients).toEqual([]);
  });

  it('answers a repeated start with the same settings without restarting', async () => {
    const r = rig();
    const first = await r.ok('broker.start', { port: 0 });
    const client = await connectClient(first.port);
    const again = await r.ok('broker.start', { port: 0 });
    expect(again.port).toBe(first.port);
    expect(client.connected).toBe(true);
  });

  it('listens on all interfaces only when asked, and lists the machine addresses a device can use', async () => {
    const status = await rig().ok('broker.start', { port: 0, host: '0.0.0.0' });
    expect(status.host).toBe('0.0.0.0');
    const own = Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .filter((entry) => !entry.internal)
      .map((entry) => entry.address);
    for (const address of status.addresses) expect(own).toContain(address);
    expect(status.addresses).toEqual(expect.arrayContaining(own.filter((a) => !a.includes(':'))));
    // Loopback still works, and so does any of the listed addresses.
    await connectClient(status.port);
    const first = status.addresses[0];
    if (first !== undefined) await connectClient(status.port, { host: first });
  });
});
