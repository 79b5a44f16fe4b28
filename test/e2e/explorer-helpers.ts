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

// ---- code that runs in the page: written as source text because the Node typecheck has no DOM
// types; made into a function here so Playwright calls it with the element and the argument.
const inPage = <A, R>(source: string): ((element: unknown, arg: A) => R) => new Function(`return (${source});`)() as (element: unknown, arg: A) => R;

/**
 * Monaco paints changed characters of a diff as overlay boxes (.char-insert / .char-delete) over
 * the line; returns, for each box in one side's editor, the line it sits on and the characters it covers.
 */
export function diffMarks(page: Page, side: 'original' | 'modified', className: 'char-insert' | 'char-delete'): Promise<{ line: string; text: string }[]> {
  return page.locator(`.monaco-diff-editor .editor.${side}`).evaluate(
    inPage<string, { line: string; text: string }[]>(`(editor, className) => {
      const lines = [...editor.querySelectorAll('.view-lines .view-line')];
      return [...editor.querySelectorAll('.view-overlays .' + className)].flatMap((box) => {
        const b = box.getBoundingClientRect();
        if (b.width === 0) return [];
        const line = lines.find((l) => Math.abs(l.getBoundingClientRect().top - b.top) < 2);
        if (!line) return [];
        let text = '';
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const chars = node.textContent || '';
          for (let i = 0; i < chars.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            const middle = r.left + r.width / 2;
            if (middle > b.left && middle < b.right) text += chars[i];
          }
        }
        return [{ line: (line.textContent || '').replace(/\\u00a0/g, ' '), text }];
      });
    }`),
    className,
  );
}

/** Pixels of a canvas within ±40 per channel of an RGB colour. */
export function canvasPixels(canvas: Locator, rgb: readonly [number, number, number]): Promise<number> {
  return canvas.evaluate(
    inPage<readonly number[], number>(`(canvas, rgb) => {
      const ctx = canvas.getContext('2d');
      if (!ctx) return 0;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - rgb[0]) < 40 && Math.abs(data[i + 1] - rgb[1]) < 40 && Math.abs(data[i + 2] - rgb[2]) < 40) n++;
      }
      return n;
    }`),
    rgb,
  );
}

/** <img> elements in the whole document whose src attribute is exactly `src`. */
export function imagesWithSrc(page: Page, src: string): Promise<number> {
  return page.evaluate(`[...document.querySelectorAll('img')].filter((img) => img.getAttribute('src') === ${JSON.stringify(src)}).length`);
}

/** Puts an attribute on every element under `root` matching `selector` (to tell them from later ones). */
export function markAll(root: Locator, selector: string, attribute: string): Promise<void> {
  return root.evaluate(inPage<[string, string], void>(`(el, [selector, attribute]) => el.querySelectorAll(selector).forEach((found) => found.setAttribute(attribute, ''))`), [selector, attribute] as [string, string]);
}

/** Scrolls an element to its top or bottom. */
export function scrollTo(target: Locator, where: 'top' | 'bottom'): Promise<void> {
  return target.evaluate(inPage<string, void>(`(el, where) => el.scrollTo({ top: where === 'top' ? 0 : el.scrollHeight })`), where);
}
