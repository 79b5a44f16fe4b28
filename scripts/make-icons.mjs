#!/usr/bin/env node
// Renders every app icon from the one source, resources/icon.svg:
//   resources/icons/<n>x<n>.png  (Linux, and the pieces below)
//   resources/icon.ico           (Windows: PNG-compressed entries, 16 to 256)
//   resources/icon.icns          (macOS: PNG entries, 16 to 1024 with the @2x types)
//   resources/icon.svg.sha256    (the source's hash, so a test notices icons older than the SVG)
// Chromium draws the SVG at each size (sharper than scaling one large bitmap down); it is the
// system Chromium the e2e tests use (CHROMIUM_PATH, default /usr/bin/chromium), driven by
// playwright-core from devDependencies. The .ico and .icns containers are simple enough to write here.
// Usage: node scripts/make-icons.mjs   (commit the results)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESOURCES = join(ROOT, 'resources');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types and the pixel size each holds (the ic1x types are the @2x ones). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** A Windows icon: ICONDIR, one ICONDIRENTRY per image, then the PNG images themselves. */
export function buildIco(pngs) {
  const sizes = [...pngs.keys()].sort((a, b) => a - b);
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const png = pngs.get(size);
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...sizes.map((size) => pngs.get(size))]);
}

/** A macOS icon family: 'icns', total length, then (type, length, PNG) entries; big-endian. */
export function buildIcns(pngs) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const png = pngs.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((sum, e) => sum + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

/** Hash of the SVG text with line endings normalised (a Windows checkout may turn \n into \r\n). */
export const sourceHash = (svg) => createHash('sha256').update(svg.toString('utf8').replace(/\r\n/g, '\n')).digest('hex');

async function renderPngs(svg, sizes) {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const pngs = new Map();
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
      await page.locator('img').evaluate((img) => img.decode());
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

async function main() {
  const svg = readFileSync(join(RESOURCES, 'icon.svg'));
  const pngs = await renderPngs(svg.toString('utf8'), PNG_SIZES);
  mkdirSync(join(RESOURCES, 'icons'), { recursive: true });
  for (const [size, png] of pngs) writeFileSync(join(RESOURCES, 'icons', `${size}x${size}.png`), png);
  writeFileSync(join(RESOURCES, 'icon.ico'), buildIco(new Map(ICO_SIZES.map((s) => [s, pngs.get(s)]))));
  writeFileSync(join(RESOURCES, 'icon.icns'), buildIcns(pngs));
  writeFileSync(join(RESOURCES, 'icon.svg.sha256'), `${sourceHash(svg)}\n`);
  console.log(`Wrote ${pngs.size} PNGs, icon.ico (${ICO_SIZES.length} sizes) and icon.icns (${ICNS_TYPES.length} entries) from resources/icon.svg.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
