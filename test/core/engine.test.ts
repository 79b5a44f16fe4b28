// The engine wired whole, as both hosts see it: a profile saved, a real broker connected, messages
// counted by the data part and reported through connection.stats and batched events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../electron/common/api';
import type { ConnectionStats } from '../../electron/common/session';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { mosquittoPub, startMosquitto, stopAll, type MosquittoBroker } from '../harness';

let broker: MosquittoBroker;
let engine: Engine;
let dataDir: string;
const events: EngineEvent[] = [];
const batches: number[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  dataDir = mkdtempSync(join(tmpdir(), 'topograph-engine-'));
  engine = new Engine({ dataDir, host: 'web', version: 'test', secretBox: plainSecretBox, flushMs: 30 });
  engine.onDidEmit((batch) => {
    batches.push(batch.length);
    events.push(...batch);
  });
});
afterAll(async () => {
  await engine?.close();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await stopAll();
});

describe('the engine', () => {
  it('answers app.info with the host and the secret storage in use', async () => {
    const info = await engine.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { host: 'web', version: 'test', secretStorage: { kind: 'file' } } });
  });

  it('records what a connected profile receives and reports it in connection.stats and events', async () => {
    const saved = await engine.call('profiles.save', { profile: { name: 'Engine test', host: broker.host, port: broker.port, subscriptions: [{ filter: 'engine/#', qos: 1 }] } });
    if (!saved.ok) throw new Error(saved.error.message);
    const id = (saved.value as { id: string }).id;
    const opened = await engine.call('connection.open', { connectionId: id });
    expect(opened).toMatchObject({ ok: true, value: { state: 'connected' } });

    for (const n of [1, 2, 3]) await mosquittoPub(['-h', broker.host, '-p', String(broker.port), '-q', '1', '-t', `engine/t${n % 2}`, '-m', `m${n}`]);

    await expect
      .poll(async () => {
        const stats = await engine.call('connection.stats', {});
        return stats.ok ? (stats.value as ConnectionStats[]).find((s) => s.connectionId === id) : undefined;
      }, { timeout: 10_000 })
      .toMatchObject({ connectionId: id, messages: 3, topics: 2 });

    expect(events.some((e) => e.type === 'connection.status' && e.status.connectionId === id && e.status.state === 'connected')).toBe(true);
    expect(events.some((e) => e.type === 'tree.delta' && e.delta.connectionId === id && e.delta.nodes.some((n) => n.name === 'engine'))).toBe(true);
    // Batched: several events per delivery, never one delivery per MQTT message.
    expect(Math.max(...batches)).toBeGreaterThan(1);
  });
});
