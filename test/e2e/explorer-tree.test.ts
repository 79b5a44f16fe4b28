// The topic tree in Chromium against the real engine and mosquitto: ten thousand topics render as
// a virtual list that scrolls to its end, a topic that mosquitto_pub updates lights up with its new
// value, an MQTT filter search finds exactly its topics, and clearing a subtree's retained
// messages (also one a live message came after) leaves nothing for mosquitto_sub to receive and no
// retained marks in the tree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoPub, mosquittoSub, stopAll } from '../harness';
import { screenshotOnFailure, startApp, type AppUnderTest } from './fixture';
import { connectProfile, expandRow, LONG, markAll, publisher, rowOf, scrollTo } from './explorer-helpers';

const TOPICS = 10_000;
const loadTopic = (i: number): string => `load/t${String(i).padStart(5, '0')}`;

let app: AppUnderTest | undefined;
const current = (): AppUnderTest => app as AppUnderTest;
const pubArgs = (...rest: string[]): string[] => ['-h', current().broker.host, '-p', String(current().broker.port), ...rest];

beforeAll(async () => {
  app = await startApp();
  // Retained before the profile connects: the broker hands all of them over on SUBSCRIBE.
  const pub = await publisher(app);
  for (let i = 0; i < TOPICS; i++) pub.client.publish(loadTopic(i), String(i), { qos: 0, retain: true });
  // Ordered after the others on the same connection: once acknowledged, the broker holds them all.
  await pub.publish('load/done', 'yes', { retain: true });
  await pub.end();
  await connectProfile(app, { name: 'Tree suite', subscriptions: [{ filter: '#', qos: 1, retainAsPublished: true }] });
});
afterAll(async () => {
  await app?.close();
  await stopAll();
});
screenshotOnFailure(() => app);

describe('topic tree', () => {
  it('renders 10,000 topics as a virtual list that scrolls to the last topic', async () => {
    const { page } = current();
    const parent = rowOf(page, 'load');
    await parent.waitFor(LONG);
    await expect.poll(async () => (await parent.locator('.tree-row__badge').first().getAttribute('title')) ?? '', LONG).toContain('10,001 topics');
    await expandRow(page, 'load');
    await rowOf(page, loadTopic(0)).waitFor(LONG);

    const rows = page.locator('[role="tree"] [role="treeitem"]');
    const bounded = async (): Promise<number> => rows.count();
    // 900 px of 24 px rows plus overscan: far fewer than 10,000 rows exist in the DOM.
    expect(await bounded()).toBeLessThan(150);
    expect(await page.locator('[role="tree"]').evaluate((el) => el.scrollHeight)).toBeGreaterThan(TOPICS * 24);

    await scrollTo(page.locator('[role="tree"]'), 'bottom');
    const last = rowOf(page, loadTopic(TOPICS - 1));
    await last.waitFor(LONG);
    expect(await last.isVisible()).toBe(true);
    expect(await last.locator('.tree-row__preview').textContent()).toBe(String(TOPICS - 1));
    expect(await rowOf(page, loadTopic(0)).count()).toBe(0);
    expect(await bounded()).toBeLessThan(150);

    await scrollTo(page.locator('[role="tree"]'), 'top');
    await rowOf(page, loadTopic(0)).waitFor(LONG);
    await parent.locator('.tree-row__chevron').click();
    await expect.poll(bounded, LONG).toBeLessThan(10);
  });

  it('expands everything at once, fills in the values of the rows on screen as they come into view, and pauses and resumes the whole open tree', async () => {
    const { page } = current();
    const tree = page.locator('[role="tree"]');
    await page.locator('.tree-toolbar button[title^="Expand all"]').click();
    await rowOf(page, loadTopic(0)).waitFor(LONG);
    // "Expand all" sends names and counts only; the values of rows on screen follow.
    await expect.poll(() => rowOf(page, loadTopic(0)).locator('.tree-row__preview').textContent(), LONG).toBe('0');
    await scrollTo(tree, 'bottom');
    const last = rowOf(page, loadTopic(TOPICS - 1));
    await last.waitFor(LONG);
    await expect.poll(() => last.locator('.tree-row__preview').textContent(), LONG).toBe(String(TOPICS - 1));
    await expect.poll(() => page.locator('[role="treeitem"].is-loading').count(), LONG).toBe(0);
    await scrollTo(tree, 'top');

    // A paused view stays as it is while recording goes on; resuming brings the whole open tree back
    // current in one answer (tree.reopen), still fully expanded.
    const first = rowOf(page, loadTopic(0));
    await page.locator('.tree-toolbar button[title^="Pause live view"]').click();
    const stored = page.locator('[data-test="status-stored"]');
    const storedBefore = await stored.textContent();
    await mosquittoPub(pubArgs('-t', loadTopic(0), '-m', 'changed', '-r'));
    await expect.poll(() => stored.textContent(), LONG).not.toBe(storedBefore);
    expect(await first.locator('.tree-row__preview').textContent()).toBe('0');
    await page.locator('.tree-toolbar button[title="Resume live view"]').click();
    await expect.poll(() => first.locator('.tree-row__preview').textContent(), LONG).toBe('changed');
    await scrollTo(tree, 'bottom');
    await expect.poll(() => last.locator('.tree-row__preview').textContent(), LONG).toBe(String(TOPICS - 1));
    await scrollTo(tree, 'top');
    await page.locator('.tree-toolbar button[title="Collapse all"]').click();
    await expect.poll(() => page.locator('[role="tree"] [role="treeitem"]').count(), LONG).toBeLessThan(10);
  });

  it('lights up a topic that mosquitto_pub updates and shows its new value', async () => {
    const { page } = current();
    await mosquittoPub(pubArgs('-t', 'live/boiler/temp', '-m', '61.5'));
    await expandRow(page, 'live');
    await expandRow(page, 'live/boiler');
    const row = rowOf(page, 'live/boiler/temp');
    await expect.poll(() => row.locator('.tree-row__preview').textContent(), LONG).toBe('61.5');
    // Mark whatever highlight the first message left, so only a new one counts.
    await markAll(row, '.tree-row__flash', 'data-seen');

    await mosquittoPub(pubArgs('-t', 'live/boiler/temp', '-m', '64.25'));
    await expect.poll(() => row.locator('.tree-row__preview').textContent(), LONG).toBe('64.25');
    await expect.poll(() => row.locator('.tree-row__flash:not([data-seen])').count(), LONG).toBe(1);
    // The parents' message counters light up too.
    await expect.poll(() => rowOf(page, 'live').locator('.tree-row__badge-flash').count(), LONG).toBeGreaterThan(0);
  });

  it('finds the topics of an MQTT filter and says how many matched', async () => {
    const { page } = current();
    for (const [topic, value] of [
      ['north/x/temp', '20'],
      ['south/x/hum', '40'],
      ['east/x', 'on'],
      ['south/y/temp', '21'],
      ['east/xx/temp', '22'],
    ] as const) {
      await mosquittoPub(pubArgs('-t', topic, '-m', value));
    }
    await rowOf(page, 'east').waitFor(LONG);
    await page.locator('.tree-search [role="radio"]', { hasText: '+/#' }).click();
    await page.getByLabel('Search the topic tree').fill('+/x/#');
    // `#` also matches its parent level [MQTT-4.7.1-2]: north/x, north/x/temp, south/x, south/x/hum, east/x.
    await expect.poll(() => page.locator('.tree-search__status').textContent(), LONG).toBe('5 matches');
    for (const topic of ['north/x/temp', 'south/x/hum', 'east/x']) await rowOf(page, topic).waitFor(LONG);
    expect(await rowOf(page, 'south/y').count()).toBe(0);
    expect(await rowOf(page, 'east/xx').count()).toBe(0);
    expect(await rowOf(page, 'load').count()).toBe(0);
    expect(await page.locator('[role="treeitem"].is-match').count()).toBe(5);

    await page.getByLabel('Search the topic tree').press('Escape');
    await rowOf(page, 'load').waitFor(LONG);
  });

  it('clears the retained messages of a subtree after saying how many, and the broker keeps none', async () => {
    const { page, broker } = current();
    for (const topic of ['attic/a/1', 'attic/a/2', 'attic/b/3']) await mosquittoPub(pubArgs('-t', topic, '-m', 'kept', '-r'));
    await mosquittoPub(pubArgs('-t', 'attic/b/4', '-m', 'passing'));
    // What a fresh subscriber gets from the broker's retained store within 2 s (mosquitto_sub's own
    // -W exits non-zero on its timeout; the harness stops it instead and keeps the lines).
    const retainedNow = async (): Promise<string[]> => {
      const sub = mosquittoSub(['-h', broker.host, '-p', String(broker.port), '-t', 'attic/#', '-v', '--retained-only'], { timeoutMs: 2_000 });
      await sub.subscribed;
      return sub;
    };
    expect((await retainedNow()).sort()).toEqual(['attic/a/1 kept', 'attic/a/2 kept', 'attic/b/3 kept']);

    const attic = rowOf(page, 'attic');
    await expect.poll(async () => (await attic.locator('.tree-row__badge').first().getAttribute('title')) ?? '', LONG).toMatch(/^4 topics/);
    for (const level of ['attic', 'attic/a', 'attic/b']) await expandRow(page, level);
    const markers = page.locator('[role="treeitem"]:has(.tree-row__name[title^="attic/"]) .tree-row__retained');
    await expect.poll(() => markers.count(), LONG).toBe(3);
    await attic.click({ button: 'right' });
    await page.locator('[role="menuitem"]', { hasText: 'Clear retained messages below' }).click();
    const dialog = page.locator('[role="dialog"]', { hasText: 'Clear retained messages' });
    await expect.poll(() => dialog.textContent(), LONG).toMatch(/3 retained messages under attic will be cleared/);
    await dialog.getByRole('button', { name: 'Clear 3 retained' }).click();
    await expect.poll(() => dialog.textContent(), LONG).toMatch(/Cleared 3 retained messages\./);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    expect(await retainedNow()).toEqual([]);
    // The broker's echo of each clear comes back retained (Retain As Published): the marks must go all the same.
    await expect.poll(() => markers.count(), LONG).toBe(0);
    await attic.click({ button: 'right' });
    await page.locator('[role="menuitem"]', { hasText: 'Clear retained messages below' }).click();
    await expect.poll(() => dialog.textContent(), LONG).toMatch(/There are no retained messages under attic\. Nothing to clear\./);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  });

  it('clears a retained message that a live message on the same topic came after', async () => {
    const { page, broker } = current();
    await mosquittoPub(pubArgs('-t', 'cellar/lamp', '-m', 'kept', '-r'));
    await mosquittoPub(pubArgs('-t', 'cellar/lamp', '-m', 'passing'));
    const cellar = rowOf(page, 'cellar');
    await expect.poll(async () => (await cellar.locator('.tree-row__badge--messages').getAttribute('title')) ?? '', LONG).toMatch(/^2 messages/);
    await expandRow(page, 'cellar');
    // The broker still holds "kept": the live message did not replace it.
    await expect.poll(() => rowOf(page, 'cellar/lamp').locator('.tree-row__retained').count(), LONG).toBe(1);
    const retainedNow = async (): Promise<string[]> => {
      const sub = mosquittoSub(['-h', broker.host, '-p', String(broker.port), '-t', 'cellar/#', '-v', '--retained-only'], { timeoutMs: 2_000 });
      await sub.subscribed;
      return sub;
    };
    expect(await retainedNow()).toEqual(['cellar/lamp kept']);

    await cellar.click({ button: 'right' });
    await page.locator('[role="menuitem"]', { hasText: 'Clear retained messages below' }).click();
    const dialog = page.locator('[role="dialog"]', { hasText: 'Clear retained messages' });
    await expect.poll(() => dialog.textContent(), LONG).toMatch(/1 retained message under cellar will be cleared/);
    await dialog.getByRole('button', { name: 'Clear 1 retained' }).click();
    await expect.poll(() => dialog.textContent(), LONG).toMatch(/Cleared 1 retained message\./);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    expect(await retainedNow()).toEqual([]);
  });
});
