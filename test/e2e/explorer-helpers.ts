// Shared steps of the explorer end-to-end suites: a profile saved through the engine and
// connected in the UI, rows found by their full topic, the Monaco text, an mqtt.js publisher.
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ProfileView } from '../../electron/common/model';
import type { AppUnderTest } from './fixture';

export const LONG = { timeout: 20_000 };

/** Saves a profile through the engine, reloads the page, opens the profile and connects it. */
export async function connectProfile(
  app: AppUnderTest,
  profile: { name: string; protocolVersion?: 4 | 5; subscriptions?: { filter: string; qos: 0 | 1 | 2; retainAsPublished?: boolean }[] },
): Promise<ProfileView> {
  const saved = await app.engine.call('profiles.save', {
    profile: { host: app.broker.host, port: app.broker.port, protocolVersion: 5, ...profile },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  const view = saved.value as ProfileView;
  await app.page.reload();
  await app.page.locator(`[data-profile="${view.id}"]`).click();
  await app.page.locator('[data-test="connect"]').click();
  await app.page.locator('[data-test="state-text"]', { hasText: /^\s*connected/i }).waitFor(LONG);
  return view;
}

/** The tree row of a topic; a row's name carries its full topic as its title. */
export function rowOf(page: Page, topic: string): Locator {
  return page.locator(`[role="treeitem"]:has(.tree-row__name[title="${topic}"])`);
}

export async function expandRow(page: Page, topic: string): Promise<void> {
  const row = rowOf(page, topic);
  await row.waitFor(LONG);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.tree-row__chevron').click();
  await expect.poll(() => row.getAttribute('aria-expanded'), LONG).toBe('true');
}

/** Expands each level of a topic's path, then selects the topic and waits for the inspector. */
export async function selectTopic(page: Page, topic: string): Promise<void> {
  const levels = topic.split('/');
  for (let i = 1; i < levels.length; i++) await expandRow(page, levels.slice(0, i).join('/'));
  await rowOf(page, topic).click();
  await expect.poll(() => page.locator('[data-testid="inspector-topic"]').textContent(), LONG).toBe(topic);
}

export async function openTab(page: Page, label: 'Payload' | 'Properties' | 'History' | 'Diff' | 'Chart'): Promise<void> {
  await page.locator('.details [role="tab"]', { hasText: label }).click();
}

/** The text Monaco shows (only the rendered lines; payloads in these tests fit the view). */
export function editorText(page: Page): Promise<string> {
  return page.locator('.details .monaco-editor .view-lines').first().innerText();
}

export interface Publisher {
  publish(topic: string, payload: string | Uint8Array, options?: IClientPublishOptions): Promise<void>;
  end(): Promise<void>;
  client: MqttClient;
}

/** An mqtt.js client in the test process: quicker than spawning mosquitto_pub per message. */
export async function publisher(app: AppUnderTest): Promise<Publisher> {
  const client = await mqtt.connectAsync({ host: app.broker.host, port: app.broker.port, protocolVersion: 5, reconnectPeriod: 0 });
  return {
    client,
    publish: async (topic, payload, options = {}) => {
      await client.publishAsync(topic, typeof payload === 'string' ? payload : Buffer.from(payload), { qos: 1, ...options });
    },
    end: () => client.endAsync(),
  };
}
