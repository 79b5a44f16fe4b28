// The inspector in Chromium against the real engine and mosquitto: JSON pretty-printed, binary as a
// hex dump, Sparkplug B DATA with metric names from the birth, a diff that marks the changed value,
// a chart that draws a numeric topic, and markup in a payload shown as text that runs nothing.
import sparkplug from 'sparkplug-payload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoPub, stopAll } from '../harness';
import { screenshotOnFailure, startApp, type AppUnderTest } from './fixture';
import { canvasPixels, connectProfile, diffMarks, editorText, imagesWithSrc, LONG, openTab, publisher, rowOf, selectTopic, type Publisher } from './explorer-helpers';

const codec = sparkplug.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload lacks spBv1.0');

let app: AppUnderTest | undefined;
let pub: Publisher | undefined;
const current = (): AppUnderTest => app as AppUnderTest;
const dialogs: string[] = [];
/** Monaco draws spaces as no-break spaces. */
const plain = (text: string): string => text.replace(/\u00a0/g, ' ');

beforeAll(async () => {
  app = await startApp();
  app.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await connectProfile(app, { name: 'Inspector suite', subscriptions: [{ filter: '#', qos: 1, retainAsPublished: true }] });
  pub = await publisher(app);
});
afterAll(async () => {
  await pub?.end();
  await app?.close();
  await stopAll();
});
screenshotOnFailure(() => app);

describe('inspector', () => {
  it('pretty-prints a JSON payload', async () => {
    const { page } = current();
    await pub?.publish('probe/json', '{"temp":21.5,"unit":"C","tags":["a","b"]}');
    await selectTopic(page, 'probe/json');
    await expect.poll(() => page.locator('[data-testid="decode-summary"]').textContent(), LONG).toMatch(/detected JSON/);
    await expect.poll(async () => plain(await editorText(page)).split('\n'), LONG).toEqual(
      expect.arrayContaining(['{', '  "temp": 21.5,', '  "unit": "C",', '  "tags": [', '    "a",', '}']),
    );
  });

  it('shows a binary payload as a hex dump with offsets', async () => {
    const { page } = current();
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 0x80) & 0xff);
    await pub?.publish('probe/binary', bytes);
    await selectTopic(page, 'probe/binary');
    await expect.poll(() => page.locator('[data-testid="decode-summary"]').textContent(), LONG).toMatch(/detected .*hex/i);
    const hex = (from: number, to: number): string => [...bytes.subarray(from, to)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    await expect.poll(async () => plain(await editorText(page)), LONG).toContain(`00000000  ${hex(0, 8)}  ${hex(8, 16)}`);
    const text = plain(await editorText(page));
    expect(text).toContain(`00000010  ${hex(16, 24)}  ${hex(24, 32)}`);
    expect(text).toContain(`00000020  ${hex(32, 40)}`);
  });

  it('names the aliased metrics of a Sparkplug B DATA message from the birth', async () => {
    const { page } = current();
    const birth = codec.encodePayload({
      timestamp: Date.now(),
      seq: 0,
      metrics: [
        { name: 'bdSeq', type: 'UInt64', value: 0 },
        { name: 'Boiler/Pressure', alias: 1, type: 'Double', value: 3.2 },
        { name: 'Boiler/Burner On', alias: 2, type: 'Boolean', value: false },
      ],
    });
    const data = codec.encodePayload({
      timestamp: Date.now(),
      seq: 1,
      metrics: [
        { alias: 1, type: 'Double', value: 3.75 },
        { alias: 2, type: 'Boolean', value: true },
      ],
    });
    await pub?.publish('spBv1.0/E2E/NBIRTH/Edge-1', birth);
    await pub?.publish('spBv1.0/E2E/NDATA/Edge-1', data);
    await selectTopic(page, 'spBv1.0/E2E/NDATA/Edge-1');
    await expect.poll(() => page.locator('[data-testid="decode-summary"]').textContent(), LONG).toMatch(/Sparkplug B/);
    await expect.poll(async () => plain(await editorText(page)), LONG).toMatch(/"name": "Boiler\/Pressure"/);
    const text = plain(await editorText(page));
    expect(text).toMatch(/"name": "Boiler\/Burner On"/);
    expect(text).toMatch(/3\.75/);
  });

  it('marks the changed field when two messages of a topic are compared', async () => {
    const { page } = current();
    await pub?.publish('probe/diff', '{"temp":20.5,"unit":"C","ok":true}');
    await pub?.publish('probe/diff', '{"temp":31.75,"unit":"C","ok":true}');
    await selectTopic(page, 'probe/diff');
    await expect.poll(async () => plain(await editorText(page)), LONG).toContain('31.75');
    await openTab(page, 'Diff');
    const modified = page.locator('.monaco-diff-editor .editor.modified');
    await expect.poll(async () => plain(await modified.locator('.view-lines').innerText()), LONG).toContain('"temp": 31.75');
    const marked = (side: 'original' | 'modified', kind: 'char-insert' | 'char-delete'): Promise<{ line: string; text: string }[]> => diffMarks(page, side, kind);
    await expect.poll(() => marked('modified', 'char-insert'), LONG).not.toEqual([]);
    const inserted = await marked('modified', 'char-insert');
    // Only the temperature line changed, and what is marked on it is part of the new value.
    expect(new Set(inserted.map((m) => m.line))).toEqual(new Set(['  "temp": 31.75,']));
    // The diff keeps the characters both values share ("31.7" against "20.", the final 5 in common).
    const insertedText = inserted.map((m) => m.text).join('');
    expect(insertedText.length).toBeGreaterThanOrEqual(2);
    expect('31.75').toContain(insertedText);
    const deleted = await marked('original', 'char-delete');
    expect(new Set(deleted.map((m) => m.line))).toEqual(new Set(['  "temp": 20.5,']));
    expect('20.5').toContain(deleted.map((m) => m.text).join(''));
    expect(await page.locator('.monaco-diff-editor .editor.modified .line-insert').count()).toBeGreaterThan(0);
  });

  it('draws a line for a numeric topic in the chart', async () => {
    const { page } = current();
    for (const value of ['1.5', '3', '2.25', '4', '3.5', '5']) await pub?.publish('probe/level', value);
    await selectTopic(page, 'probe/level');
    await openTab(page, 'Chart');
    // An empty path charts the payload itself.
    await page.locator('.chart__add').getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => page.locator('.chart__status').textContent(), LONG).toMatch(/6 points/);
    // The first series is drawn in the palette's first colour (#2f6fde): count its pixels on the canvas.
    const strokePixels = (): Promise<number> => canvasPixels(page.locator('[data-testid="time-chart"] canvas').first(), [0x2f, 0x6f, 0xde]);
    await expect.poll(strokePixels, LONG).toBeGreaterThan(50);
    expect(await page.locator('.u-legend .u-series').nth(1).textContent()).toContain('value · probe/level');
  });

  it('shows markup in a payload as text and runs none of it', async () => {
    const { page, broker } = current();
    const markup = '<img src=x onerror=alert(1)>';
    await mosquittoPub(['-h', broker.host, '-p', String(broker.port), '-t', 'probe/markup', '-m', markup]);
    await selectTopic(page, 'probe/markup');
    await openTab(page, 'Payload');
    await expect.poll(async () => plain(await editorText(page)), LONG).toContain(markup);
    expect(await rowOf(page, 'probe/markup').locator('.tree-row__preview').textContent()).toBe(markup);
    await openTab(page, 'History');
    await openTab(page, 'Properties');
    await openTab(page, 'Payload');
    await expect.poll(async () => plain(await editorText(page)), LONG).toContain(markup);
    // An injected <img src=x> would fail to load and fire onerror at once; give it a moment anyway.
    await page.waitForTimeout(1000);
    expect(await imagesWithSrc(page, 'x')).toBe(0);
    expect(dialogs).toEqual([]);
    expect(current().pageErrors).toEqual([]);
  });
});
