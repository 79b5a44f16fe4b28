// Screenshots for the docs, taken from the real app against mosquitto with realistic data: a home
// and factory tree with JSON sensors, retained status topics and MQTT 5 messages with properties.
// Each step also asserts what it shows, so the suite runs in `npm test` like any other. Every main
// view (explorer, properties, history, diff, chart, publish) is taken in the light and the dark theme.
//
// By default the images go to test-results/screenshots/. To refresh the ones in the docs:
//   npm run build && UPDATE_SCREENSHOTS=1 npx vitest run --project e2e test/e2e/screenshots.test.ts
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../electron/common/model';
import { stopAll } from '../harness';
import { screenshotOnFailure, startApp, type AppUnderTest } from './fixture';
import { connectProfile, editorText, expandRow, LONG, openTab, publisher, rowOf, selectTopic, type Publisher } from './explorer-helpers';

const DIR = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
const TELEMETRY = 'factory/line-1/press-01/telemetry';
const POWER = 'factory/energy/main-meter/power_kw';

let app: AppUnderTest | undefined;
let pub: Publisher | undefined;
const current = (): AppUnderTest => app as AppUnderTest;

async function shot(page: Page, name: string, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  // Let a theme switch repaint (Monaco and the chart follow it) and any row highlight fade.
  await page.waitForTimeout(1200);
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: path.join(DIR, `${name}.png`) });
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** Retained states and sensor readings, as a home automation setup and a plant floor publish them. */
async function seed(p: Publisher): Promise<void> {
  const retained = { retain: true, qos: 1 as const };
  const json = (value: unknown): string => JSON.stringify(value);
  for (const [topic, payload] of [
    ['home/status', 'online'],
    ['home/living-room/light', json({ state: 'ON', brightness: 180, color_temp: 370 })],
    ['home/living-room/window', json({ contact: true, battery: 91 })],
    ['home/kitchen/dishwasher', json({ state: 'idle', program: 'eco', remaining_min: 0 })],
    ['home/garage/door', 'closed'],
    ['zigbee2mqtt/bridge/state', json({ state: 'online' })],
    ['zigbee2mqtt/bridge/info', json({ version: '1.40.2', coordinator: { type: 'zStack3x0' }, network: { channel: 15, pan_id: 6754 } })],
    ['factory/line-1/press-01/status', 'RUNNING'],
    ['factory/line-1/press-02/status', 'IDLE'],
    ['factory/line-1/conveyor/status', 'RUNNING'],
    ['factory/line-2/robot-07/status', 'MAINTENANCE'],
    ['factory/line-2/robot-07/alarm', json({ code: 'E-214', text: 'Gripper pressure low', since: '2025-06-02T07:41:10Z' })],
  ] as const) {
    await p.publish(topic, payload, retained);
  }
  // A few minutes of readings, compressed: several per topic so counts and charts have something.
  for (let i = 0; i < 40; i++) {
    const t = i / 6;
    const phase = Math.sin(t);
    await Promise.all([
      p.publish('home/living-room/climate', json({ temperature: round(21.2 + phase * 0.6), humidity: Math.round(44 + phase * 3), co2: 610 + i * 4 })),
      p.publish('home/kitchen/climate', json({ temperature: round(22.8 + Math.cos(t) * 0.5), humidity: 51 })),
      p.publish('home/bedroom/climate', json({ temperature: round(19.6 + phase * 0.3), humidity: 48 })),
      p.publish('home/energy/solar_w', String(Math.round(2300 + phase * 450 + (i % 3) * 40))),
      p.publish(POWER, String(round(41.5 + phase * 6 + Math.cos(t * 2.3) * 2.5, 2))),
      p.publish(
        TELEMETRY,
        json({
          cycle: 18230 + i,
          pressure_bar: round(182 + phase * 4),
          temperature_c: round(61.5 + i * 0.08 + Math.cos(t) * 0.7),
          oil_temp_c: round(54.2 + i * 0.05 + phase * 0.4),
          running: true,
        }),
        {
          qos: 1,
          properties: {
            contentType: 'application/json',
            payloadFormatIndicator: true,
            messageExpiryInterval: 300,
            responseTopic: 'factory/line-1/press-01/cmd/reply',
            correlationData: Buffer.from(`tel-${18230 + i}`),
            userProperties: { site: 'plant-a', line: 'line-1', firmware: '4.2.1', unit: 'metric' },
          },
        },
      ),
      p.publish('factory/line-1/press-02/telemetry', json({ cycle: 9120 + i, pressure_bar: 0, temperature_c: round(24.1 + phase * 0.2), running: false })),
    ]);
    // Spread over ten seconds so the chart's time axis reads in whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  app = await startApp();
  for (const profile of [
    { name: 'Plant floor (TLS)', host: 'broker.plant-a.example', port: 8883, protocolVersion: 5 },
    { name: 'Home Assistant', host: 'homeassistant.local', port: 1883, protocolVersion: 4 },
  ]) {
    const saved = await app.engine.call('profiles.save', { profile });
    if (!saved.ok) throw new Error(saved.error.message);
  }
  await connectProfile(app, { name: 'Home and plant (mosquitto)', subscriptions: [{ filter: '#', qos: 1, retainAsPublished: true }] });
  pub = await publisher(app);
  await seed(pub);
});
afterAll(async () => {
  await pub?.end();
  await app?.close();
  await stopAll();
});
screenshotOnFailure(() => app);

describe('screenshots', () => {
  it('explorer, light and dark: the tree a few levels deep with a JSON payload selected', async () => {
    const { page } = current();
    for (const topic of ['home', 'home/living-room', 'zigbee2mqtt', 'zigbee2mqtt/bridge', 'factory', 'factory/line-2']) await expandRow(page, topic);
    await selectTopic(page, TELEMETRY);
    await expect.poll(async () => (await editorText(page)).replace(/\u00a0/g, ' '), LONG).toMatch(/"pressure_bar": \d/);
    // Without the keyboard focus ring on the clicked row: the picture shows the selection.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await shot(page, 'explorer-light', 'light');
    await shot(page, 'explorer-dark', 'dark');
  });

  it('properties of an MQTT 5 message with user properties', async () => {
    const { page } = current();
    await openTab(page, 'Properties');
    const user = page.locator('[data-testid="user-properties"]');
    await expect.poll(() => user.textContent(), LONG).toMatch(/site.*plant-a/);
    expect(await page.locator('[data-testid="properties"]').textContent()).toMatch(/application\/json/);
    await shot(page, 'properties-light', 'light');
    await shot(page, 'properties-dark', 'dark');
    await openTab(page, 'Payload');
  });

  it('history of a topic, light and dark', async () => {
    const { page } = current();
    await openTab(page, 'History');
    const rows = page.getByRole('listbox', { name: 'Message history' }).getByRole('option');
    // All forty telemetry messages are kept, newest first.
    await expect.poll(() => rows.count(), LONG).toBeGreaterThanOrEqual(10);
    await expect.poll(() => rows.first().textContent(), LONG).toMatch(/"cycle":18269/);
    await shot(page, 'history-light', 'light');
    await shot(page, 'history-dark', 'dark');
  });

  it('diff of the shown message against the one before, light and dark', async () => {
    const { page } = current();
    await openTab(page, 'Diff');
    await expect.poll(() => page.locator('[data-testid="diff-sides"]').textContent(), LONG).toMatch(/Previous #\d+.*Shown #\d+/s);
    const modified = page.locator('.monaco-diff-editor .editor.modified .view-lines');
    await expect.poll(async () => (await modified.innerText()).replace(/\u00a0/g, ' '), LONG).toContain('"cycle": 18269');
    // The cycle counter moved on by one: that change is marked.
    await expect.poll(() => page.locator('.monaco-diff-editor .editor.modified .char-insert').count(), LONG).toBeGreaterThan(0);
    await shot(page, 'diff-light', 'light');
    await shot(page, 'diff-dark', 'dark');
    await openTab(page, 'Payload');
  });

  it('publish panel with MQTT 5 properties, light and dark', async () => {
    const { page } = current();
    await page.locator('[data-test="publish-toggle"]').click();
    const panel = page.locator('[data-test="publish-panel"]');
    await panel.waitFor();
    // A taller dock, so the properties form shows most of its fields.
    const gutter = page.locator('.connection__body > [role="separator"]');
    const box = await gutter.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y - 170, { steps: 5 });
      await page.mouse.up();
    }
    await panel.locator('[data-test="publish-topic"]').fill('factory/line-1/press-01/cmd');
    const editor = panel.locator('.monaco-editor').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // One line (Monaco would auto-indent typed line breaks), then its own Format button.
    await page.keyboard.insertText('{"action": "set_pressure", "target_bar": 180, "ramp_s": 30}');
    await panel.getByRole('button', { name: 'Format' }).click();
    await panel.locator('[data-test="publish-qos"] button', { hasText: 'QoS 1' }).click();
    await panel.locator('[role="tab"][data-tab="properties"]').click();
    await panel.locator('[data-test="prop-content-type"]').fill('application/json');
    await panel.locator('[data-test="prop-response-topic"]').fill('factory/line-1/press-01/cmd/reply');
    await panel.locator('[data-test="prop-correlation"]').fill('cmd-4711');
    await panel.locator('[data-test="prop-expiry"]').fill('60');
    await panel.getByRole('button', { name: 'Add user property' }).click();
    await panel.getByLabel('Property name').last().fill('operator');
    await panel.getByLabel('Property value').last().fill('j.meyer');
    await expect.poll(() => panel.locator('[data-test="publish-send"]').isDisabled()).toBe(false);
    await shot(page, 'publish-light', 'light');
    await shot(page, 'publish-dark', 'dark');
    await page.locator('[data-test="publish-toggle"]').click();
    await panel.waitFor({ state: 'detached' });
  });

  it('connection editor, light', async () => {
    const { page } = current();
    const profiles = (await current().engine.call('profiles.list', {})) as { ok: true; value: ProfileView[] };
    const plant = profiles.value.find((p) => p.name === 'Plant floor (TLS)');
    await page.locator(`[data-profile="${plant?.id}"]`).click({ button: 'right' });
    await page.locator('[role="menuitem"]', { hasText: 'Edit…' }).click();
    const dialog = page.locator('[role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="host"]').locator('xpath=descendant-or-self::input').first().inputValue()).toBe('broker.plant-a.example');
    await shot(page, 'connection-editor-light', 'light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('chart of live numbers, light and dark', async () => {
    const { page } = current();
    await rowOf(page, 'factory/line-1/press-01').waitFor(LONG);
    await selectTopic(page, TELEMETRY);
    await openTab(page, 'Chart');
    const path = page.getByLabel('JSON path to chart');
    for (const field of ['$.temperature_c', '$.oil_temp_c']) {
      await path.fill(field);
      await page.locator('.chart__add').getByRole('button', { name: 'Add' }).click();
    }
    await expect.poll(() => page.locator('.chart__status').textContent(), LONG).toMatch(/80 points/);
    await shot(page, 'chart-light', 'light');
    await shot(page, 'chart-dark', 'dark');
  });
});
