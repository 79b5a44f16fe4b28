import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../electron/common/model';
import type { Result } from '../../electron/common/result';
import type { SessionStatus } from '../../electron/common/session';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { LOCAL_PROFILE_NAME } from '../../electron/common/local-profile';
import { startDemo } from '../../electron/web/demo';

describe('--demo', () => {
  let dataDir: string;
  let engine: Engine;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'topograph-demo-'));
    engine = new Engine({ dataDir, host: 'web', version: '0.0.0-test', secretBox: plainSecretBox });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the built-in broker and demo devices with the demo profile connected, and reuses the profile', async () => {
    const lines = await startDemo(engine);
    expect(lines[0]).toMatch(/^Demo: built-in broker on 127\.0\.0\.1:\d+, demo devices publishing/);
    const profiles = (await engine.call('profiles.list', {})) as Result<ProfileView[]>;
    const demo = profiles.ok ? profiles.value.find((p) => p.name === LOCAL_PROFILE_NAME) : undefined;
    expect(demo?.protocolVersion).toBe(4);
    const statuses = (await engine.call('connection.list', {})) as Result<SessionStatus[]>;
    expect(statuses.ok && statuses.value.find((s) => s.connectionId === demo?.id)?.state).toBe('connected');
    // A second start reuses the profile instead of adding another.
    await engine.call('demo.stop', {});
    await engine.call('broker.stop', {});
    await startDemo(engine);
    const again = (await engine.call('profiles.list', {})) as Result<ProfileView[]>;
    expect(again.ok && again.value.filter((p) => p.name === LOCAL_PROFILE_NAME).length).toBe(1);
  });

  it('says which step failed and why, and that the rest works', async () => {
    const failing = { call: async (method: string) => (method === 'broker.start' ? { ok: false, error: { code: 'io', message: 'Port in use.' } } : { ok: true, value: [] }) };
    const lines = await startDemo(failing as unknown as Engine);
    expect(lines[0]).toBe('Demo mode could not start the built-in broker: Port in use. The web host runs without the demo; the rest of Topograph works as usual.');
  });
});
