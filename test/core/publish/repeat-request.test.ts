// Repeated publishing and MQTT 5 request/response against a real mosquitto. The receiver is
// mosquitto_sub; the responder is a small mqtt.js client written for the test.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PublishHistoryEntry, RepeatProgress, RequestReply } from '../../../electron/common/api';
import { startMosquitto, stopAll, type MosquittoBroker } from '../../harness';
import { connect, makeRig, rawSubscriber, text, waitFor, type PublishRig, type RawSubscriber } from './helpers';

const brokers: MosquittoBroker[] = [];
const rigs: PublishRig[] = [];
const subs: RawSubscriber[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(subs.splice(0).map((s) => s.stop()));
  await Promise.all(rigs.splice(0).map((r) => r.close()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});
afterAll(stopAll);

async function setup(): Promise<{ b: MosquittoBroker; r: PublishRig }> {
  const b = await startMosquitto();
  brokers.push(b);
  const r = await makeRig();
  rigs.push(r);
  await connect(r, 'p', b);
  return { b, r };
}
async function subscriber(b: MosquittoBroker, filter: string): Promise<RawSubscriber> {
  const s = rawSubscriber(b, filter);
  subs.push(s);
  await s.subscribed;
  return s;
}
const progressEvents = (r: PublishRig, jobId: string): RepeatProgress[] =>
  r.events.events.flatMap((e) => (e.type === 'publish.repeat' && e.progress.jobId === jobId ? [e.progress] : []));

describe('repeat', () => {
  it('sends exactly the counted number, with placeholders expanded per send', async () => {
    const { b, r } = await setup();
    const sub = await subscriber(b, 'rep/#');
    const started = await r.ok<RepeatProgress>('publish.repeatStart', {
      connectionId: 'p',
      message: { topic: 'rep/{{counter}}', payload: { format: 'json', value: '{"n": {{counter}}, "id": "{{uuid}}", "v": {{random(1,3)}}}' }, qos: 1 },
      intervalMs: 10,
      count: 25,
    });
    expect(started).toMatchObject({ state: 'running', sent: 0, total: 25 });
    const final = await waitFor('the job to finish', () => progressEvents(r, started.jobId).find((p) => p.state !== 'running'));
    expect(final).toMatchObject({ state: 'done', sent: 25, total: 25 });

    // Then a sentinel: whatever arrives before it is everything the job sent.
    await r.ok('publish.send', { connectionId: 'p', message: { topic: 'rep/end', payload: text('end'), qos: 1 } });
    const got = await sub.waitFor(26);
    expect(got.map((m) => m.topic)).toEqual([...Array.from({ length: 25 }, (_, i) => `rep/${i + 1}`), 'rep/end']);
    const payloads = got.slice(0, 25).map((m) => JSON.parse(Buffer.from(m.payloadHex, 'hex').toString()) as { n: number; id: string; v: number });
    expect(payloads.map((p) => p.n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(payloads.map((p) => p.id)).size).toBe(25);
    expect(payloads.every((p) => p.v >= 1 && p.v <= 3)).toBe(true);
    // Progress is throttled: far fewer events than sends, the last one final.
    expect(progressEvents(r, started.jobId).length).toBeLessThan(25);
  });

  it('keeps one history entry per job, with its template, count and final state, not one per send', async () => {
    const { r } = await setup();
    const template = { topic: 'hist/{{counter}}', payload: text('n={{counter}}'), qos: 1 as const };
    const counted = await r.ok<RepeatProgress>('publish.repeatStart', { connectionId: 'p', message: template, intervalMs: 10, count: 12 });
    await waitFor('the counted job to finish', () => progressEvents(r, counted.jobId).find((p) => p.state !== 'running'));
    const endless = await r.ok<RepeatProgress>('publish.repeatStart', { connectionId: 'p', message: { ...template, topic: 'hist/endless' }, intervalMs: 10 });
    await waitFor('a few sends', () => progressEvents(r, endless.jobId).some((p) => p.sent >= 2));
    const stopped = await r.ok<RepeatProgress>('publish.repeatStop', { jobId: endless.jobId });

    const history = await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'p' });
    expect(history.map((entry) => [entry.request.topic, entry.repeat])).toEqual([
      ['hist/endless', { sent: stopped.sent, intervalMs: 10, state: 'stopped' }],
      ['hist/{{counter}}', { sent: 12, total: 12, intervalMs: 10, state: 'done' }],
    ]);
    // The template as written, so loading the entry runs the same job again; the last send's answer.
    expect(history[1]?.request.payload).toEqual(text('n={{counter}}'));
    expect(history[1]?.outcome).toMatchObject({ kind: 'acknowledged', packet: 'puback' });
  });

  it('runs until stopped and reports how many went out', async () => {
    const { b, r } = await setup();
    const sub = await subscriber(b, 'forever');
    const started = await r.ok<RepeatProgress>('publish.repeatStart', { connectionId: 'p', message: { topic: 'forever', payload: text('{{counter}}'), qos: 0 }, intervalMs: 10 });
    expect(started.total).toBeUndefined();
    await sub.waitFor(5);
    const stopped = await r.ok<RepeatProgress>('publish.repeatStop', { jobId: started.jobId });
    expect(stopped.state).toBe('stopped');
    await r.ok('publish.send', { connectionId: 'p', message: { topic: 'forever', payload: text('end'), qos: 0 } });
    const got = await sub.waitFor(stopped.sent + 1);
    expect(got.map((m) => Buffer.from(m.payloadHex, 'hex').toString())).toEqual([...Array.from({ length: stopped.sent }, (_, i) => String(i + 1)), 'end']);
  });

  it('refuses to start when the first message is invalid, and sends nothing', async () => {
    const { r } = await setup();
    const result = await r.call('publish.repeatStart', {
      connectionId: 'p',
      message: { topic: 'x/{{counter}}', payload: { format: 'json', value: '{"n": {{count}}}' }, qos: 0 },
      intervalMs: 10,
      count: 3,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/In the payload: \{\{count\}\} is not a placeholder/) } });
    const tooFast = await r.call('publish.repeatStart', { connectionId: 'p', message: { topic: 'x', payload: text('x'), qos: 0 }, intervalMs: 5 });
    expect(tooFast.ok).toBe(false);
  });

  it('stops itself with the reason when the connection goes away', async () => {
    const { r } = await setup();
    const started = await r.ok<RepeatProgress>('publish.repeatStart', { connectionId: 'p', message: { topic: 'gone', payload: text('x'), qos: 1 }, intervalMs: 20 });
    await waitFor('a few sends', () => progressEvents(r, started.jobId).some((p) => p.sent > 0));
    await r.connection.handlers['connection.close']({ connectionId: 'p' });
    const final = await waitFor('the job to fail', () => progressEvents(r, started.jobId).find((p) => p.state !== 'running'));
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/^Repeat stopped after \d+ messages: .*connect/i);
    const [entry] = await r.ok<PublishHistoryEntry[]>('publish.history', { connectionId: 'p' });
    expect(entry).toMatchObject({ request: { topic: 'gone' }, error: final.error, repeat: { sent: final.sent, state: 'failed' } });
  });
});

/** Answers requests on `topic` with `reply(payload)`, echoing the correlation data; optionally a decoy first. */
async function responder(b: MosquittoBroker, topic: string, decoy: boolean): Promise<MqttClient> {
  const client = await mqtt.connectAsync({ host: b.host, port: b.port, protocolVersion: 5, clientId: 'responder' });
  clients.push(client);
  client.on('message', (_topic, payload, packet) => {
    const responseTopic = packet.properties?.responseTopic;
    const correlationData = packet.properties?.correlationData;
    if (responseTopic === undefined) return;
    if (decoy) client.publish(responseTopic, 'not yours', { qos: 1, properties: { correlationData: Buffer.from('someone else') } });
    client.publish(responseTopic, `echo:${payload.toString()}`, { qos: 1, properties: { ...(correlationData ? { correlationData } : {}), contentType: 'text/plain' } });
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return client;
}

describe('request/response', () => {
  it('subscribes first, publishes with response topic and correlation data, and returns the matching reply', async () => {
    const { b, r } = await setup();
    await responder(b, 'svc/echo', true);
    const sub = await subscriber(b, 'svc/echo');
    const reply = await r.ok<RequestReply>('publish.request', { connectionId: 'p', message: { topic: 'svc/echo', payload: text('ping'), qos: 1 }, timeoutMs: 5000 });
    expect(reply.responseTopic).toMatch(/^svc\/echo\/response\/[0-9a-f-]{36}$/);
    expect(Buffer.from(reply.response.payload).toString()).toBe('echo:ping');
    expect(reply.response).toMatchObject({ id: 0, topic: reply.responseTopic, properties: { contentType: 'text/plain' } });
    expect(reply.roundTripMs).toBeGreaterThanOrEqual(0);
    // The request as the independent subscriber saw it: 16 random bytes of correlation data.
    const [request] = await sub.waitFor(1);
    expect(request?.responseTopic).toBe(reply.responseTopic);
    expect(request?.correlationHex).toHaveLength(32);
    expect(request?.correlationHex).toBe(Buffer.from(reply.response.properties.correlationData ?? []).toString('hex'));
  });

  it('uses the given response topic and correlation data', async () => {
    const { b, r } = await setup();
    await responder(b, 'svc/given', false);
    const reply = await r.ok<RequestReply>('publish.request', {
      connectionId: 'p',
      message: { topic: 'svc/given', payload: text('x'), qos: 0, properties: { correlationData: new Uint8Array([1, 2, 3]) } },
      responseTopic: 'my/replies',
    });
    expect(reply.responseTopic).toBe('my/replies');
    expect([...(reply.response.properties.correlationData ?? [])]).toEqual([1, 2, 3]);
    // A response topic set as the message's own property is used as well.
    const viaProperty = await r.ok<RequestReply>('publish.request', {
      connectionId: 'p',
      message: { topic: 'svc/given', payload: text('y'), qos: 1, properties: { responseTopic: 'prop/replies' } },
    });
    expect(viaProperty.responseTopic).toBe('prop/replies');
    expect(Buffer.from(viaProperty.response.payload).toString()).toBe('echo:y');
  });

  it('times out with a sentence when only other replies arrive', async () => {
    const { b, r } = await setup();
    const other = await mqtt.connectAsync({ host: b.host, port: b.port, protocolVersion: 5 });
    clients.push(other);
    other.on('message', (_t, _p, packet) => {
      const to = packet.properties?.responseTopic;
      if (to) other.publish(to, 'wrong', { properties: { correlationData: Buffer.from([9, 9]) } });
    });
    await other.subscribeAsync('svc/silent');
    const result = await r.call('publish.request', { connectionId: 'p', message: { topic: 'svc/silent', payload: text('x'), qos: 0 }, timeoutMs: 500 });
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^No reply with this request's correlation data arrived on svc\/silent\/response\/.* within 0\.5 s/) },
    });
    // The response subscription does not outlive the request.
    await b.waitForLog('Received UNSUBSCRIBE from p');
  });
});
