// `--demo` end to end: the web host's demo steps (electron/web/demo.ts) on the real engine start the
// built-in broker and the demo devices and connect a profile; Chromium then shows that connection's
// populated tree by itself (nothing clicked) within seconds, and a Sparkplug B DATA topic decodes
// in the inspector with metric names taken from the births.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../electron/common/session';
import type { ProfileView } from '../../electron/common/model';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { LOCAL_PROFILE_NAME } from '../../electron/common/local-profile';
import { startDemo } from '../../electron/web/demo';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { launchBrowser } from './fixture';

const SHOTS = process.env.TOPOGRAPH_SHOTS;
const DDATA_TOPIC = 'spBv1.0/Plant-Demo/DDATA/Gateway-07/Press-1';

let dataDir: string;
let engine: Engine;
let host: WebHost;
let browser: Browser;
let page: Page;
let demoLines: string[];

async function value<T>(method: string, params: unknown): Promise<T> {
  const result = await engine.call(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'topograph-e2e-demo-'));
  engine = new Engine({ dataDir, host: 'web', version: 'e2e', secretBox: plainSecretBox, flushMs: 50 });
  host = await startWebHost({ engine, staticDir: path.resolve('out/renderer') });
  demoLines = await startDemo(engine);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  await page.goto(host.url);
});
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await host?.close();
  await engine?.close();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) await page.screenshot({ path: `test-results/failed-demo-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png` }).catch(() => undefined);
});

describe('--demo', () => {
  it('starts the built-in broker and the demo devices, with the demo profile connected to them', async () => {
    expect(demoLines[0]).toMatch(/^Demo: built-in broker on 127\.0\.0\.1:\d+, demo devices publishing/);
    const broker = await value<{ running: boolean; demo: { running: boolean } }>('broker.status', {});
    expect(broker).toMatchObject({ running: true, demo: { running: true } });
    const profile = (await value<ProfileView[]>('profiles.list', {})).find((p) => p.name === LOCAL_PROFILE_NAME);
    expect(profile).toBeDefined();
    const connected = async (): Promise<SessionStatus | undefined> =>
      (await value<SessionStatus[]>('connection.list', {})).find((s) => s.connectionId === profile?.id);
    // The built-in broker speaks MQTT 3.1.1 only: a demo profile that asks for 5 is refused here.
    const described = async (): Promise<string> => {
      const status = await connected();
      return status === undefined ? 'not open' : `${status.state}${status.error ? `: ${status.error}` : ''}`;
    };
    await expect.poll(described, { timeout: 15_000 }).toBe('connected');
  });

  it('shows a populated topic tree in Chromium within seconds, with nothing clicked', async () => {
    await page.locator('[data-test="state-text"]', { hasText: /^\s*Connected/ }).waitFor({ timeout: 20_000 });
    const tree = page.getByRole('tree', { name: 'Topics' });
    for (const root of ['demo', 'homeassistant', 'spBv1.0', 'zigbee2mqtt']) {
      // A row's name carries its full topic as its title.
      await tree.locator(`[role="treeitem"]:has([title="${root}"])`).waitFor({ timeout: 20_000 });
    }
    await expect
      .poll(async () => Number((await page.locator('[data-test="status-topics"]').textContent())?.replace(/[^0-9]/g, '') ?? 0), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(80);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/demo-tree.png` });
  });

  it('decodes a Sparkplug B DATA topic in the inspector, naming its aliased metrics from the birth', async () => {
    await page.getByLabel('Search the topic tree').fill('Press-1');
    const row = page.locator(`[role="treeitem"]:has([title="${DDATA_TOPIC}"])`);
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await expect.poll(() => page.locator('[data-testid="inspector-topic"]').textContent(), { timeout: 20_000 }).toContain(DDATA_TOPIC);
    await expect.poll(() => page.locator('[data-testid="decode-summary"]').textContent(), { timeout: 20_000 }).toMatch(/Sparkplug B/);
    const editor = page.locator('.monaco-editor .view-lines').first();
    await expect.poll(() => editor.textContent(), { timeout: 20_000 }).toMatch(/"messageType":\s*"DDATA"/);
    await expect.poll(() => editor.textContent(), { timeout: 20_000 }).toMatch(/"name":\s*"(Hydraulics\/Pressure|Hydraulics\/Oil Temperature|Cycle Count|Running)"/);
    expect(await editor.textContent()).not.toMatch(/could not be named/);
    if (SHOTS) {
      await page.screenshot({ path: `${SHOTS}/demo-sparkplug-light.png` });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${SHOTS}/demo-sparkplug-dark.png` });
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });
});
