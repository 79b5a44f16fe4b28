// The first vertical slice, as a person does it: create a connection in the UI (host, port, user
// name, password), connect, see topics that mosquitto_pub publishes appear in the tree with their
// counts, click one and read its payload. Bad input ends in a sentence, never a spinner.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoPub, stopAll } from '../harness';
import { screenshotOnFailure, startApp, type AppUnderTest } from './fixture';

let app: AppUnderTest | undefined;
const current = (): AppUnderTest => app as AppUnderTest;

beforeAll(async () => {
  app = await startApp({ broker: { auth: 'password', users: { alice: 's3cret-pass' } } });
});
afterAll(async () => {
  await app?.close();
  await stopAll();
});
screenshotOnFailure(() => app);

const input = (page: Page, test: string): Locator => page.locator(`[data-test="${test}"]`).locator('xpath=descendant-or-self::input').first();

async function createConnection(page: Page, fields: { name: string; host: string; port: number; username?: string; password?: string }): Promise<void> {
  // The welcome screen (no profiles yet) or the sidebar's button, whichever the page shows once it
  // has loaded: asking isVisible() before the profile list arrives raced the first render.
  await page.locator('[data-test="welcome-connect"]').or(page.locator('[data-test="new-connection"]')).first().click();
  await input(page, 'name').fill(fields.name);
  await input(page, 'host').fill(fields.host);
  await input(page, 'port').fill(String(fields.port));
  if (fields.username !== undefined || fields.password !== undefined) {
    await page.locator('[data-section="auth"]').click();
    if (fields.username !== undefined) await input(page, 'username').fill(fields.username);
    if (fields.password !== undefined) await input(page, 'password').fill(fields.password);
  }
  await page.locator('[data-test="save-connect"]').click();
}

function row(page: Page, name: string): Locator {
  return page.locator('[role="treeitem"]').filter({ has: page.locator('.tree-row__name', { hasText: new RegExp(`^${name}$`) }) });
}

/** What a row's badges say: subtree topics (branches only), subtree messages, and the retained marker. */
async function counts(page: Page, name: string): Promise<{ topics: string | null; topicsTitle: string | null; messages: string; retained: boolean }> {
  const target = row(page, name).first();
  const topicsBadge = target.locator('.tree-row__badge:not(.tree-row__badge--messages)');
  const hasTopics = (await topicsBadge.count()) > 0;
  return {
    topics: hasTopics ? ((await topicsBadge.textContent()) ?? '').trim() : null,
    topicsTitle: hasTopics ? await topicsBadge.getAttribute('title') : null,
    messages: ((await target.locator('.tree-row__badge--messages').textContent()) ?? '').trim(),
    retained: (await target.locator('.tree-row__retained').count()) > 0,
  };
}

async function expand(page: Page, name: string): Promise<void> {
  const target = row(page, name).first();
  await target.waitFor();
  if ((await target.getAttribute('aria-expanded')) !== 'true') await target.locator('.tree-row__chevron').click();
}

describe('first vertical slice', () => {
  it('connects with a user name and password, shows published topics with counts, and shows a payload', async () => {
    const { page, broker } = current();
    await createConnection(page, { name: 'Bench broker', host: broker.host, port: broker.port, username: 'alice', password: 's3cret-pass' });
    await page.locator('[data-test="state-text"]', { hasText: /^connected/i }).waitFor({ timeout: 15_000 });

    const auth = ['-u', 'alice', '-P', 's3cret-pass'];
    for (let i = 1; i <= 3; i++) {
      await mosquittoPub(['-h', broker.host, '-p', String(broker.port), ...auth, '-t', 'slice/sensors/temp', '-m', `{"celsius": 2${i}.5}`]);
    }
    await mosquittoPub(['-h', broker.host, '-p', String(broker.port), ...auth, '-t', 'slice/sensors/door', '-m', 'open', '-r']);

    await expand(page, 'slice');
    // The subtree counts 4 messages over 2 topics.
    await expect
      .poll(() => counts(page, 'slice'), { timeout: 10_000 })
      .toEqual({ topics: '2', topicsTitle: '2 topics in this subtree', messages: '4', retained: false });
    await expand(page, 'sensors');
    // Leaves: no topic badge; only door was published with -r, so only door carries the retained marker.
    await expect.poll(() => counts(page, 'temp'), { timeout: 10_000 }).toEqual({ topics: null, topicsTitle: null, messages: '3', retained: false });
    await expect.poll(() => counts(page, 'door'), { timeout: 10_000 }).toEqual({ topics: null, topicsTitle: null, messages: '1', retained: true });
    await row(page, 'temp').first().click();
    await expect.poll(async () => (await page.locator('[data-testid="inspector-topic"]').textContent()) ?? '', { timeout: 10_000 }).toContain('slice/sensors/temp');
    // The latest payload, decoded as JSON by the engine and shown in Monaco.
    await expect.poll(async () => (await page.locator('.monaco-editor .view-lines').first().textContent()) ?? '', { timeout: 15_000 }).toMatch(/celsius.*23\.5/);
  });

  it('says why when nothing listens on the port, and stays usable', async () => {
    const { page } = current();
    await createConnection(page, { name: 'Nothing here', host: '127.0.0.1', port: 9 });
    const error = page.locator('[data-test="connection-error"]:visible').first();
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toMatch(/Nothing accepts connections on 127\.0\.0\.1:9\. Check that the broker is running/);
    // A refused port is a network failure, so the engine keeps retrying with backoff; the person
    // can stop that, and the view settles as disconnected with Connect offered again.
    await page.locator('[data-test="disconnect"]:visible').first().click();
    await page.locator('[data-test="connect"]:visible').first().waitFor();
  });

  it('says the broker refused a wrong password', async () => {
    const { page, broker } = current();
    await createConnection(page, { name: 'Wrong password', host: broker.host, port: broker.port, username: 'alice', password: 'nope' });
    const error = page.locator('[data-test="connection-error"]:visible').first();
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toMatch(/not authori[sz]ed|user name or password/i);
  });

  it('says the host name is unknown', async () => {
    const { page } = current();
    await createConnection(page, { name: 'Unknown host', host: 'no-such-host.invalid', port: 1883 });
    const error = page.locator('[data-test="connection-error"]:visible').first();
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/no-such-host\.invalid|could not find|DNS|unknown host/i);
  });
});
