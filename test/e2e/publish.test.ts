// The publish panel in Chromium against the real engine and mosquitto: write a message with MQTT 5
// properties, publish it with Ctrl+Enter, receive it with mosquitto_sub; refusals show in the form
// and send nothing.
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../electron/common/model';
import { mosquittoPub, stopAll } from '../harness';
import { rawSubscriber, type RawSubscriber } from '../core/publish/helpers';
import { screenshotOnFailure, startApp, type AppUnderTest } from './fixture';

let app: AppUnderTest | undefined;
let profile: ProfileView;
const SHOTS = process.env.TOPOGRAPH_SHOTS;
/** Polls wait this long: the machine running the suite may be busy with other work. */
const SETTLE = { timeout: 10_000 };

beforeAll(async () => {
  app = await startApp({ broker: { listenerConfig: ['max_topic_alias 4'], extraConfig: ['max_packet_size 512'] } });
  const saved = await app.engine.call('profiles.save', {
    profile: { name: 'Plant floor', host: app.broker.host, port: app.broker.port, protocolVersion: 5, subscriptions: [{ filter: 'plant/#', qos: 1 }] },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  profile = saved.value as ProfileView;
  await app.page.reload();
  await app.page.locator(`[data-profile="${profile.id}"]`).click();
  await app.page.locator('[data-test="connect"]').click();
  await app.page.locator('[data-test="state-text"]', { hasText: /connected/i }).waitFor();
  await app.page.locator('[data-test="publish-toggle"]').click();
  await app.page.locator('[data-test="publish-panel"]').waitFor();
});
afterAll(async () => {
  await app?.close();
  await stopAll();
});
screenshotOnFailure(() => app);

const panel = (page: Page) => page.locator('[data-test="publish-panel"]');

/** Replaces the Monaco payload with `text` the way a person would: select all, type. */
async function typePayload(page: Page, text: string): Promise<void> {
  const editor = panel(page).locator('.monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function chooseTab(page: Page, tab: 'properties' | 'history' | 'saved' | 'repeat' | 'request'): Promise<void> {
  await panel(page).locator(`[role="tab"][data-tab="${tab}"]`).click();
}

async function choosePayloadFormat(page: Page, label: 'JSON' | 'Text' | 'Hex'): Promise<void> {
  await panel(page).locator('[data-test="payload-format"] button', { hasText: new RegExp(`^${label}$`) }).click();
}

/**
 * Publishes a marker with mosquitto_pub and waits until `sub` has it: mosquitto delivers to one
 * subscriber in the order it handled the publishes, so every message the app had published (and
 * had acknowledged, at QoS 1) before the marker has arrived too. Returns the records before it.
 */
async function untilMarker(sub: RawSubscriber, topic: string, marker: string): Promise<ReturnType<RawSubscriber['records']>> {
  const broker = (app as AppUnderTest).broker;
  await mosquittoPub(['-h', broker.host, '-p', String(broker.port), '-t', topic, '-m', marker, '-q', '1']);
  const hex = Buffer.from(marker).toString('hex');
  await expect.poll(() => sub.records().some((r) => r.payloadHex === hex), SETTLE).toBe(true);
  const records = sub.records();
  return records.slice(0, records.findIndex((r) => r.payloadHex === hex));
}

async function shot(name: string): Promise<void> {
  if (SHOTS && app) await app.page.screenshot({ path: `${SHOTS}/${name}.png` });
}

describe('publish panel', () => {
  let sub: RawSubscriber | undefined;
  afterAll(async () => sub?.stop());

  it('publishes a message with MQTT 5 properties that mosquitto_sub receives exactly', async () => {
    const page = (app as AppUnderTest).page;
    sub = rawSubscriber((app as AppUnderTest).broker, 'plant/#');
    await sub.subscribed;

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/line-1/valve');
    await typePayload(page, '{"open": true, "pct": 40}');
    await panel(page).locator('[data-test="publish-qos"] button', { hasText: 'QoS 1' }).click();
    await panel(page).locator('[data-test="prop-content-type"]').fill('application/json');
    await panel(page).locator('[data-test="prop-correlation"]').fill('req-7');
    await panel(page).getByRole('button', { name: 'Add user property' }).click();
    await panel(page).getByLabel('Property name').fill('operator');
    await panel(page).getByLabel('Property value').fill('anna');
    await expect.poll(() => panel(page).locator('[data-test="payload-size"]').textContent()).toContain('25 B');
    await shot('publish-light');

    // Ctrl/Cmd+Enter inside the editor publishes (it does not insert a line).
    await panel(page).locator('.monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+Enter');
    const result = panel(page).locator('[data-test="publish-result"]');
    await expect.poll(() => result.textContent()).toMatch(/PUBACK: Success \(0x00\)/);

    const [got] = await sub.waitFor(1);
    expect(got).toMatchObject({
      topic: 'plant/line-1/valve',
      qos: '1',
      contentType: 'application/json',
      userProperties: 'operator:anna',
      payloadHex: Buffer.from('{"open": true, "pct": 40}').toString('hex'),
      correlationHex: Buffer.from('req-7').toString('hex'),
    });
  });

  it('shows refusals in the form, marks bad JSON in the editor, and sends nothing', async () => {
    const page = (app as AppUnderTest).page;
    const send = panel(page).locator('[data-test="publish-send"]');

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/+/valve');
    await expect.poll(() => panel(page).locator('[data-test="topic-problem"]').textContent()).toMatch(/cannot contain the wildcards/);
    expect(await send.isDisabled()).toBe(true);

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/line-1/valve');
    await typePayload(page, '{"open": true, "pct": 40,}');
    await expect.poll(() => panel(page).locator('[data-test="payload-problem"]').textContent()).toMatch(/not valid JSON: .*trailing comma.*line 1, column 26/);
    await panel(page).locator('.squiggly-error').first().waitFor();
    expect(await send.isDisabled()).toBe(true);
    await shot('publish-json-error');

    // Ctrl+Enter with a problem does nothing; the next thing mosquitto_sub sees is a valid message.
    await panel(page).locator('.monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+Enter');
    await panel(page).locator('[data-test="payload-format"] button', { hasText: 'Hex' }).click();
    await typePayload(page, 'ca fe 0g');
    await expect.poll(() => panel(page).locator('[data-test="payload-problem"]').textContent()).toMatch(/not valid hex: 'g'/);
    await typePayload(page, 'ca fe');
    await send.click();
    await expect.poll(() => panel(page).locator('[data-test="publish-result"]').textContent()).toMatch(/PUBACK/);
    const records = await (sub as RawSubscriber).waitFor(2);
    expect(records[1]).toMatchObject({ topic: 'plant/line-1/valve', payloadHex: 'cafe' });
  });

  it('keeps every publish in the history, and loads one back into the form', async () => {
    const page = (app as AppUnderTest).page;
    await panel(page).locator('[role="tab"][data-tab="history"]').click();
    const rows = panel(page).locator('[data-test="history-list"] li');
    await expect.poll(() => rows.count()).toBe(2);
    await shot('publish-history');
    await rows.nth(1).locator('button').first().click();
    await panel(page).locator('[role="tab"][data-tab="properties"]').click();
    expect(await panel(page).locator('[data-test="prop-content-type"]').inputValue()).toBe('application/json');
    await (app as AppUnderTest).page.emulateMedia({ colorScheme: 'dark' });
    await shot('publish-dark');
    await (app as AppUnderTest).page.emulateMedia({ colorScheme: 'light' });
    expect((app as AppUnderTest).pageErrors).toEqual([]);
  });

  it('opens the folded panel with the topic when "Publish to this topic" is picked in the tree', async () => {
    const a = app as AppUnderTest;
    const page = a.page;
    await page.locator('[data-test="publish-toggle"]').click();
    await panel(page).waitFor({ state: 'detached' });
    await mosquittoPub(['-h', a.broker.host, '-p', String(a.broker.port), '-t', 'plant/tank', '-m', 'level=3', '-r']);
    const row = page.locator('[role="treeitem"]', { hasText: 'plant' }).first();
    await row.click({ button: 'right' });
    await page.locator('[role="menuitem"]', { hasText: 'Publish to this topic' }).click();
    await panel(page).waitFor();
    expect(await panel(page).locator('[data-test="publish-topic"]').inputValue()).toBe('plant');
  });
});

describe('repeat and request', () => {
  const subs: RawSubscriber[] = [];
  afterAll(async () => {
    for (const sub of subs) await sub.stop();
  });
  const payloads = (records: { payloadHex: string }[]): string[] => records.map((r) => Buffer.from(r.payloadHex, 'hex').toString());

  it('repeats a message 5 times with {{counter}} filled in, and mosquitto_sub receives exactly those 5', async () => {
    const page = (app as AppUnderTest).page;
    const sub = rawSubscriber((app as AppUnderTest).broker, 'plant/repeat/counted');
    subs.push(sub);
    await sub.subscribed;

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/repeat/counted');
    await choosePayloadFormat(page, 'Text');
    await typePayload(page, 'reading {{counter}}');
    await panel(page).locator('[data-test="publish-qos"] button', { hasText: 'QoS 1' }).click();
    await chooseTab(page, 'repeat');
    await panel(page).locator('[data-test="repeat-interval"]').fill('50');
    await panel(page).locator('[data-test="repeat-count"]').fill('5');
    await panel(page).locator('[data-test="repeat-start"]').click();

    const progress = panel(page).locator('[data-test="repeat-progress"]');
    await expect.poll(() => progress.textContent(), SETTLE).toMatch(/Done: 5 of 5 sent/);
    expect(await progress.getAttribute('class')).toContain('repeat__progress--done');
    expect(await panel(page).locator('[data-test="repeat-start"]').isEnabled()).toBe(true);
    await shot('publish-repeat-done');

    const received = await untilMarker(sub, 'plant/repeat/counted', 'marker-after-repeat');
    expect(payloads(received)).toEqual(['reading 1', 'reading 2', 'reading 3', 'reading 4', 'reading 5']);
    expect(received.every((r) => r.topic === 'plant/repeat/counted' && r.qos === '1')).toBe(true);
  });

  it('repeats until Stop, shows the stopped state, and sends nothing after it', async () => {
    const page = (app as AppUnderTest).page;
    const sub = rawSubscriber((app as AppUnderTest).broker, 'plant/repeat/endless');
    subs.push(sub);
    await sub.subscribed;

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/repeat/endless');
    await choosePayloadFormat(page, 'Text');
    await typePayload(page, 'tick {{counter}}');
    await chooseTab(page, 'repeat');
    await panel(page).locator('[data-test="repeat-interval"]').fill('50');
    await panel(page).locator('[data-test="repeat-count"]').fill('');
    await panel(page).locator('[data-test="repeat-start"]').click();

    const progress = panel(page).locator('[data-test="repeat-progress"]');
    // Sending with no total: no "of N", and the Repeat tab carries the running mark.
    await expect.poll(async () => Number(/Sending: (\d+) sent/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), SETTLE).toBeGreaterThanOrEqual(3);
    expect(await panel(page).locator('[data-test="repeat-interval"]').isDisabled()).toBe(true);
    await panel(page).locator('[data-test="repeat-stop"]').click();
    await expect.poll(() => progress.textContent(), SETTLE).toMatch(/Stopped: \d+ sent/);
    const stoppedAt = Number(/Stopped: (\d+) sent/.exec((await progress.textContent()) ?? '')?.[1]);
    expect(await panel(page).locator('[data-test="repeat-start"]').isVisible()).toBe(true);
    await shot('publish-repeat-stopped');

    const first = await untilMarker(sub, 'plant/repeat/endless', 'marker-1');
    expect(payloads(first)).toEqual(Array.from({ length: stoppedAt }, (_, i) => `tick ${i + 1}`));
    // Ten intervals later, nothing more came from the app: only the second marker follows the first.
    await page.waitForTimeout(500);
    const second = await untilMarker(sub, 'plant/repeat/endless', 'marker-2');
    expect(payloads(second)).toEqual([...payloads(first), 'marker-1']);
    expect(await progress.textContent()).toMatch(new RegExp(`Stopped: ${stoppedAt} sent`));
  });

  it('sends a request and shows the reply a responder sent back with its correlation data, and the round trip', async () => {
    const a = app as AppUnderTest;
    const page = a.page;
    // A responder as a service would write one: answer on the response topic, echoing the correlation data.
    const responder = await mqtt.connectAsync({ host: a.broker.host, port: a.broker.port, protocolVersion: 5, reconnectPeriod: 0 });
    try {
      await responder.subscribeAsync('plant/pump/get', { qos: 1 });
      responder.on('message', (_topic, payload, packet) => {
        const responseTopic = packet.properties?.responseTopic;
        if (!responseTopic) return;
        void responder.publishAsync(responseTopic, `status of ${payload.toString()}: running`, {
          qos: 1,
          properties: { correlationData: packet.properties?.correlationData, contentType: 'text/plain' },
        });
      });

      await panel(page).locator('[data-test="publish-topic"]').fill('plant/pump/get');
      await choosePayloadFormat(page, 'Text');
      await typePayload(page, 'pump-3');
      await chooseTab(page, 'properties');
      await panel(page).locator('[data-test="prop-correlation"]').fill('ask-pump-3');
      await chooseTab(page, 'request');
      await panel(page).locator('[data-test="request-send"]').click();

      const reply = panel(page).locator('[data-test="request-reply"]');
      await reply.waitFor({ timeout: 15_000 });
      expect(await panel(page).locator('[data-test="request-payload"]').textContent()).toBe('status of pump-3: running');
      expect(await panel(page).locator('[data-test="request-rtt"]').textContent()).toMatch(/^\d+\.\d ms round trip$/);
      expect(await reply.textContent()).toMatch(/plant\/pump\/get\/response\//);
      expect(await reply.textContent()).toContain('text/plain');
      expect(await reply.textContent()).toContain(Buffer.from('ask-pump-3').toString('hex').replace(/(..)(?!$)/g, '$1 '));
      expect(await panel(page).locator('[data-test="request-error"]').count()).toBe(0);
      await shot('publish-request');
    } finally {
      await responder.endAsync();
    }
  });
});

describe("refusals against the publish rules and the broker's limits", () => {
  let sub: RawSubscriber | undefined;
  afterAll(async () => sub?.stop());

  it('shows each refusal as a sentence in the form, keeps Publish disabled, and sends nothing', async () => {
    const page = (app as AppUnderTest).page;
    sub = rawSubscriber((app as AppUnderTest).broker, 'plant/refused/#');
    await sub.subscribed;
    const send = panel(page).locator('[data-test="publish-send"]');
    const formProblem = panel(page).locator('[data-test="publish-problem"]');
    const propertiesTab = panel(page).locator('[role="tab"][data-tab="properties"]');
    const tryToPublish = async (): Promise<void> => {
      expect(await send.isDisabled()).toBe(true);
      await panel(page).locator('.monaco-editor').first().click();
      await page.keyboard.press('ControlOrMeta+Enter');
    };

    await panel(page).locator('[data-test="publish-topic"]').fill('plant/refused/one');
    await panel(page).locator('[data-test="publish-qos"] button', { hasText: 'QoS 1' }).click();

    // Bytes that are not UTF-8, sent with payload format indicator 1.
    await choosePayloadFormat(page, 'Hex');
    await typePayload(page, 'ff fe');
    await chooseTab(page, 'properties');
    await panel(page).locator('[data-test="prop-format-indicator"]').selectOption({ label: '1 — UTF-8 text' });
    await expect.poll(() => panel(page).locator('[data-test="payload-problem"]').textContent(), SETTLE).toMatch(/not valid UTF-8 \(byte 0 breaks it\).*payload format indicator/);
    await tryToPublish();
    await panel(page).locator('[data-test="prop-format-indicator"]').selectOption({ label: 'Not set' });
    await expect.poll(() => send.isEnabled(), SETTLE).toBe(true);

    // Topic alias 0 [MQTT-3.3.2-8]: the field says so; on another tab, the line by Publish and a mark on Properties do.
    await panel(page).locator('[data-test="prop-alias-mode"]').selectOption({ label: 'Alias number' });
    await panel(page).locator('[data-test="prop-alias"]').fill('0');
    await expect.poll(() => panel(page).locator('[data-test="v5-fields"]').textContent(), SETTLE).toMatch(/topic alias must be/i);
    await tryToPublish();
    await chooseTab(page, 'history');
    await expect.poll(() => formProblem.textContent(), SETTLE).toMatch(/topic alias must be/i);
    expect(await formProblem.isVisible()).toBe(true);
    expect(await propertiesTab.locator('.tg-icon').count()).toBe(1);
    await shot('publish-refused-alias-zero');

    // Above the broker's Topic Alias Maximum (4) [MQTT-3.3.2-9].
    await chooseTab(page, 'properties');
    await panel(page).locator('[data-test="prop-alias"]').fill('5');
    await expect.poll(() => panel(page).locator('[data-test="v5-fields"]').textContent(), SETTLE).toContain("The topic alias must be between 1 and 4, the broker's Topic Alias Maximum.");
    await tryToPublish();
    await panel(page).locator('[data-test="prop-alias-mode"]').selectOption({ label: 'None' });
    await expect.poll(() => propertiesTab.locator('.tg-icon').count(), SETTLE).toBe(0);

    // Larger than the broker's Maximum Packet Size (512 bytes in its CONNACK).
    await choosePayloadFormat(page, 'Text');
    await typePayload(page, 'x'.repeat(600));
    await expect.poll(() => formProblem.textContent(), SETTLE).toMatch(/The PUBLISH packet would be [\d,]+ bytes, but the broker accepts at most 512 bytes/);
    expect(await formProblem.isVisible()).toBe(true);
    expect(await panel(page).locator('[data-test="packet-size"]').textContent()).toMatch(/of max 512 B/);
    await tryToPublish();
    await shot('publish-refused-packet-size');

    expect(await untilMarker(sub, 'plant/refused/one', 'marker-after-refusals')).toEqual([]);
    // The form is usable again once the payload fits.
    await typePayload(page, 'fits');
    await expect.poll(() => formProblem.count(), SETTLE).toBe(0);
    expect(await send.isEnabled()).toBe(true);
  });
});

describe('theme', () => {
  it("turns Monaco dark and light with the theme override, and back to the system's with 'system'", async () => {
    const page = (app as AppUnderTest).page;
    const editor = panel(page).locator('.monaco-editor').first();
    const themeButton = (label: string) => page.locator(`[data-test="theme"] button[aria-label="${label}"]`);
    const editorIsDark = async () => ((await editor.getAttribute('class')) ?? '').split(/\s+/).includes('vs-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await themeButton('Dark theme').click();
    await expect.poll(editorIsDark, SETTLE).toBe(true);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await themeButton('Light theme').click();
    await expect.poll(editorIsDark, SETTLE).toBe(false);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');

    await themeButton('Follow the system theme').click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(editorIsDark, SETTLE).toBe(true);
    expect(await page.locator('html').getAttribute('data-theme')).toBeNull();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(editorIsDark, SETTLE).toBe(false);
    // The choice is saved with the app's settings.
    await themeButton('Dark theme').click();
    const savedTheme = async (): Promise<unknown> => {
      const saved = await (app as AppUnderTest).engine.call('settings.get', { scope: 'app' });
      return saved.ok ? (saved.value as Record<string, unknown>).theme : undefined;
    };
    await expect.poll(savedTheme, SETTLE).toBe('dark');
    await themeButton('Follow the system theme').click();
  });
});
