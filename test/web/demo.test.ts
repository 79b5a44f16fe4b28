import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../electron/common/model';
import type { Result } from '../../electron/common/result';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { DEMO_PROFILE_NAME, startDemo } from '../../electron/web/demo';

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

  it('either runs the demo with its profile connected, or says which step failed and why', async () => {
    const lines = await startDemo(engine);
    expect(lines.length).toBeGreaterThan(0);
    const first = lines[0] ?? '';
    if (first.startsWith('Demo:')) {
      const profiles = (await engine.call('profiles.list', {})) as Result<ProfileView[]>;
      expect(profiles.ok && profiles.value.some((p) => p.name === DEMO_PROFILE_NAME)).toBe(true);
      // A second start reuses the profile instead of adding another.
      await engine.call('demo.stop', {});
      await engine.call('broker.stop', {});
      await startDemo(engine);
      const again = (await engine.call('profiles.list', {})) as Result<ProfileView[]>;
      expect(again.ok && again.value.filter((p) => p.name === DEMO_PROFILE_NAME).length).toBe(1);
    } else {
      expect(first).toMatch(/^Demo mode could not [a-z -]+: .+ The web host runs without the demo/);
    }
  });
});
