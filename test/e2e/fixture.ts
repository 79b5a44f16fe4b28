/**
 * End-to-end fixture: a real Mosquitto, the real engine behind the web host, and the built renderer
 * in headless system Chromium. A failing test leaves a screenshot under test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { Engine } from '../../electron/core/engine';
import { plainSecretBox } from '../../electron/core/profiles/secret-box';
import { startWebHost } from '../../electron/web/server';
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from '../harness';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const STATIC_DIR = path.resolve('out/renderer');

export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  if (!existsSync(path.join(STATIC_DIR, 'index.html'))) {
    throw new Error('The renderer is not built (out/renderer/index.html is missing). Run `npm run build` first; `npm test` does it for you.');
  }
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface AppUnderTest {
  broker: MosquittoBroker;
  engine: Engine;
  url: string;
  dataDir: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves a screenshot of the page under test-results/ (or a named docs/ path). */
  screenshot(file: string): Promise<string>;
  /** Uncaught errors the page reported. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface AppOptions {
  broker?: MosquittoOptions;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

export async function startApp(options: AppOptions = {}): Promise<AppUnderTest> {
  requireChromium();
  const broker = await startMosquitto(options.broker ?? {});
  const dataDir = await mkdtemp(path.join(tmpdir(), 'topograph-e2e-'));
  const engine = new Engine({ dataDir, host: 'web', version: 'e2e', secretBox: plainSecretBox, flushMs: 50 });
  const host = await startWebHost({ engine, staticDir: STATIC_DIR });
  const browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);

  const screenshot = async (file: string): Promise<string> => {
    const target = file.includes('/') ? file : path.join('test-results', file);
    mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target });
    return target;
  };

  return {
    broker,
    engine,
    url: host.url,
    dataDir,
    browser,
    context,
    page,
    screenshot,
    pageErrors,
    async close() {
      await browser.close().catch(() => undefined);
      await host.close();
      await engine.close();
      await broker.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers an afterEach that saves a screenshot (and prints page errors) when a test failed. */
export function screenshotOnFailure(app: () => AppUnderTest | undefined): void {
  afterEach(async ({ task }) => {
    const current = app();
    if (!current || task.result?.state !== 'fail') return;
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    const file = await current.screenshot(`failed-${name}.png`).catch(() => undefined);
    if (file) console.error(`Screenshot of the failure: ${file}`);
    if (current.pageErrors.length > 0) console.error(`Page errors:\n${current.pageErrors.join('\n')}`);
  });
}
