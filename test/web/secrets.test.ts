// A saved password never travels back: not in profiles.json, not in the protocol log, not in any
// message the UI receives, not in an export unless asked. Proven end to end through the web host
// against a real password-protected Mosquitto, reading every frame the socket receives.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, stopAll, type MosquittoBroker } from '../harness';
import { connectClient, startTestHost, type RpcClient, type TestHost } from './helpers';

const PASSWORD = 'Pw-5f1c9e-never-echoed';
let broker: MosquittoBroker;
let host: TestHost;
let client: RpcClient;
const received: string[] = [];

beforeAll(async () => {
  broker = await startMosquitto({ auth: 'password', users: { alice: PASSWORD } });
  host = await startTestHost();
  client = await connectClient(`${host.rpcUrl}?token=${host.host.token}`);
  // Every frame the UI would receive, as raw text, before any decoding.
  client.ws.on('message', (data) => received.push(String(data)));
});
afterAll(async () => {
  await client?.close();
  await host?.close();
  await broker?.stop();
  await stopAll();
});

type Ok<T> = { result: { ok: true; value: T } };

describe('a saved password', () => {
  let id = '';

  it('is accepted once, then only reported as saved', async () => {
    const saved = (await client.request('profiles.save', {
      profile: { name: 'Secret broker', host: broker.host, port: broker.port, username: 'alice', secrets: { password: { action: 'set', value: PASSWORD } } },
    })) as Ok<{ id: string; secrets: { password: boolean } }>;
    expect(saved.result.ok).toBe(true);
    id = saved.result.value.id;
    expect(saved.result.value.secrets.password).toBe(true);
  });

  it('lets the engine connect, and never comes back in answers, events, the protocol log or a plain export', async () => {
    const opened = (await client.request('connection.open', { connectionId: id })) as Ok<{ state: string }>;
    expect(opened.result.value.state).toBe('connected');
    const log = (await client.request('log.get', { connectionId: id })) as Ok<{ type: string; detail: Record<string, unknown> }[]>;
    expect(log.result.value.some((entry) => entry.type === 'connect')).toBe(true);
    await client.request('log.export', { connectionId: id });
    await client.request('profiles.list', {});
    await client.request('connection.list', {});
    const exported = (await client.request('profiles.export', { ids: [id] })) as Ok<{ json: string }>;
    expect(exported.result.value.json).not.toContain(PASSWORD);
    await client.request('connection.close', { connectionId: id });
    // Let at least one event batch (status, profiles.changed, stats) arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(received.length).toBeGreaterThan(5);
    expect(received.some((frame) => frame.includes('"method":"events"'))).toBe(true);
    for (const frame of received) expect(frame).not.toContain(PASSWORD);
  });

  it('is in no file of the data dir but the 0600 secrets file', () => {
    const files = readdirSync(host.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      const text = readFileSync(path).toString('latin1');
      if (file.name === 'secrets.json') continue;
      expect(text, path).not.toContain(PASSWORD);
    }
  });

  it('is in an export only when the person asks for secrets', async () => {
    const exported = (await client.request('profiles.export', { ids: [id], includeSecrets: true })) as Ok<{ json: string }>;
    expect(exported.result.value.json).toContain(PASSWORD);
  });
});
