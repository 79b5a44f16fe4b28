// A saved password never travels back: not in profiles.json, not in the protocol log, not in any
// message the UI receives, not in an export unless asked. Proven end to end through the web host
// against a real password-protected Mosquitto, reading every frame the socket receives.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, stopAll, type MosquittoBroker } from '../harness';
import { connectClient, startTestHost, type RpcClient, type TestHost } from './helpers';

const PASSWORD = 'Pw-5f1c9e-never-echoed';

/**
 * The password as it could leak: plain, hex, and base64/base64url. Inside a longer value (say
 * `user:password` in a Basic header) base64 lines up at one of three byte offsets, so each offset
 * gets the characters that encode the password alone.
 */
function leakForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const inner = b64.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    forms.push(inner, inner.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...new Set(forms)];
}
const LEAK_FORMS = leakForms(PASSWORD);

/** Which forms of the password a text holds (empty when none). */
const leaksIn = (text: string): string[] => LEAK_FORMS.filter((form) => text.includes(form));
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
    expect(leaksIn(exported.result.value.json)).toEqual([]);
    await client.request('connection.close', { connectionId: id });
    // Let at least one event batch (status, profiles.changed, stats) arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(received.length).toBeGreaterThan(5);
    expect(received.some((frame) => frame.includes('"method":"events"'))).toBe(true);
    for (const frame of received) expect(leaksIn(frame), frame.slice(0, 200)).toEqual([]);
  });

  it('is in no file of the data dir but the 0600 secrets file', () => {
    const files = readdirSync(host.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      const text = readFileSync(path).toString('latin1');
      if (file.name === 'secrets.json') continue;
      expect(leaksIn(text), path).toEqual([]);
    }
  });

  it('is looked for in every form it could leak in (the search above can fail)', () => {
    expect(leaksIn(`{"auth":"Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}"}`)).not.toEqual([]);
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      expect(leaksIn(Buffer.from(prefix + PASSWORD + '!').toString('base64')), prefix).not.toEqual([]);
      expect(leaksIn(Buffer.from(prefix + PASSWORD + '!').toString('base64url')), prefix).not.toEqual([]);
    }
    expect(leaksIn(`x'${Buffer.from(PASSWORD).toString('hex')}'`)).not.toEqual([]);
    expect(leaksIn(Buffer.from(PASSWORD).toString('hex').toUpperCase())).not.toEqual([]);
    expect(leaksIn('{"secrets":{"password":true}}')).toEqual([]);
  });

  it('is in an export only when the person asks for secrets', async () => {
    const exported = (await client.request('profiles.export', { ids: [id], includeSecrets: true })) as Ok<{ json: string }>;
    expect(exported.result.value.json).toContain(PASSWORD);
  });
});
