/**
 * The built app: what out/ holds after `electron-vite build` (built here when missing or older than
 * the sources), a static scan of it for dangerous Electron settings, and a dry run of electron-builder
 * packing it for Linux into a temp folder. The Electron binary cannot be downloaded here, so the dry
 * run uses a stand-in executable that carries Electron's fuse wire; electron-builder does everything
 * else for real: file filters, node_modules, app.asar, asarUnpack, the afterPack check, the fuses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_DIR, PROJECT_DIR, ensureBuilt, filesUnder, loadBuilderConfig } from './builder';
import { bareImports, packageOf, scanForDangerousSettings } from './scan';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const builtins = new Set(builtinModules);
const rel = (file: string): string => relative(PROJECT_DIR, file).split('\\').join('/');
const read = (file: string): string => readFileSync(file, 'utf8');
const workerFiles = (): string[] => filesUnder(join(OUT_DIR, 'renderer')).filter((file) => /worker.*\.js$/.test(basename(file)));

beforeAll(() => ensureBuilt(), 600_000);

describe('the built app (out/)', () => {
  it('has what the packaged app loads: main, preload and renderer', () => {
    for (const file of ['main/index.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(OUT_DIR, file)), `out/${file}`).toBe(true);
    }
  });

  it('emits the Monaco workers as same-origin files the renderer refers to', () => {
    const workers = workerFiles();
    const bundles = filesUnder(join(OUT_DIR, 'renderer')).filter((file) => file.endsWith('.js') && !workers.includes(file));
    const code = bundles.map(read).join('\n');
    // The payload editor needs its editor worker and the JSON worker, from this origin (CSP: worker-src 'self');
    // without them Monaco falls back to the main thread or loses JSON validation.
    for (const name of ['editor', 'json']) {
      const found = workers.filter((file) => rel(file).startsWith('out/renderer/assets/') && new RegExp(`^${name}\\.worker-[\\w-]+\\.js$`).test(basename(file)));
      expect(found.map(rel), `out/renderer/assets/${name}.worker-*.js`).toHaveLength(1);
      expect(code, `nothing in the renderer creates ${basename(found[0] ?? '')}`).toMatch(new RegExp(`new URL\\(\\s*["']${basename(found[0] ?? '').replaceAll('.', '\\.')}["']`));
    }
    for (const worker of workers) expect(code, `${rel(worker)} is emitted but nothing refers to it`).toContain(basename(worker));
  });

  it('writes no source maps into what the app loads', () => {
    const packed = ['main', 'preload', 'renderer'].flatMap((dir) => filesUnder(join(OUT_DIR, dir)));
    expect(packed.filter((file) => file.endsWith('.map')).map(rel)).toEqual([]);
  });

  it('has an index.html that the CSP allows: no inline script, nothing from elsewhere', () => {
    const html = read(join(OUT_DIR, 'renderer', 'index.html'));
    for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(match[1], 'every script has a src').toMatch(/\bsrc=/);
      expect(match[2]?.trim(), 'no inline script body').toBe('');
    }
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('has a preload that needs nothing but electron (a sandboxed preload can require nothing else)', () => {
    const needs = bareImports(read(join(OUT_DIR, 'preload', 'index.cjs'))).filter((name) => name !== 'electron');
    expect(
      needs,
      `out/preload/index.cjs requires ${needs.join(', ')}; a sandboxed preload cannot load npm packages. ` +
        'Bundle them into the preload (electron.vite.config.ts: preload.build.externalizeDeps = false).',
    ).toEqual([]);
  });

  it('has a main that imports only built-ins, electron and production dependencies', () => {
    const imported = filesUnder(join(OUT_DIR, 'main'))
      .filter((file) => /\.[cm]?js$/.test(file))
      .flatMap((file) => bareImports(read(file)))
      .map(packageOf)
      .filter((name) => name !== 'electron' && !builtins.has(name));
    const missing = [...new Set(imported)].filter((name) => !(name in pkg.dependencies));
    expect(missing, 'electron-builder packs only "dependencies"; move these there').toEqual([]);
  });
});

describe('static security scan of the built main and preload', () => {
  const built = (): { file: string; code: string }[] =>
    [...filesUnder(join(OUT_DIR, 'main')), ...filesUnder(join(OUT_DIR, 'preload'))]
      .filter((file) => /\.[cm]?js$/.test(file))
      .map((file) => ({ file: rel(file), code: read(file) }));

  it('finds no setting that undoes the security baseline', () => {
    const findings = built().flatMap(({ file, code }) => scanForDangerousSettings(code).map((name) => `${file}: ${name}`));
    expect(findings).toEqual([]);
  });

  it('is looking at the window code (the secure settings are there to be found)', () => {
    const main = built().filter(({ file }) => file.startsWith('out/main/')).map(({ code }) => code).join('\n');
    for (const setting of [/contextIsolation:\s*(true|!0)/, /sandbox:\s*(true|!0)/, /nodeIntegration:\s*(false|!1)/, /webSecurity:\s*(true|!0)/]) {
      expect(main).toMatch(setting);
    }
  });

  it.each([
    ['webPreferences: { nodeIntegration: true }', 'nodeIntegration: true'],
    ['{contextIsolation:!1,sandbox:!1}', 'contextIsolation: false'],
    ['{"sandbox": false}', 'sandbox: false'],
    ['new BrowserWindow({ webPreferences: { webSecurity: false } })', 'webSecurity: false'],
    ['{allowRunningInsecureContent:!0}', 'allowRunningInsecureContent: true'],
    ['{ enableRemoteModule: true }', 'enableRemoteModule'],
    ['require("@electron/remote/main")', '@electron/remote'],
    ['app.commandLine.appendSwitch("disable-web-security")', 'the disable-web-security switch'],
    ['win.loadFile("index.html")', 'a page loaded from file://'],
    ['setWindowOpenHandler(() => ({ action: "allow" }))', 'a window.open that is allowed'],
  ])('would fail on %s', (code, finding) => {
    expect(scanForDangerousSettings(code)).toContain(finding);
  });

  it('does not cry wolf over similar names', () => {
    expect(scanForDangerousSettings('{ noSandbox: false, mySandbox: !1, sandboxed: false, nodeIntegrationX: true }')).toEqual([]);
  });
});

describe('the afterPack check', () => {
  const { checkPrebuilds } = require('../../scripts/after-pack.cjs') as {
    checkPrebuilds(options: { resources: string; platform: string; arch: string; list: (asar: string) => string[] }): string[];
  };
  let resources: string;
  const layout = (packed: string[], unpacked: string[]): string[] => {
    rmSync(resources, { recursive: true, force: true });
    const dir = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(resources, 'app.asar'), '');
    for (const name of unpacked) writeFileSync(join(dir, name), '');
    const list = (): string[] => ['/package.json', ...packed.map((name) => `/node_modules/better-sqlite3/prebuilds/${name}`)];
    return checkPrebuilds({ resources, platform: 'linux', arch: 'x64', list });
  };
  beforeAll(() => {
    resources = mkdtempSync(join(tmpdir(), 'topograph-afterpack-'));
  });
  afterAll(() => rmSync(resources, { recursive: true, force: true }));

  it('passes exactly the target prebuild, listed and unpacked', () => {
    expect(layout(['linux-x64.node'], ['linux-x64.node'])).toEqual([]);
  });

  it('fails when the prebuild is missing, left packed, or joined by others', () => {
    expect(layout([], [])).toHaveLength(2);
    expect(layout(['linux-x64.node'], [])).toEqual([expect.stringMatching(/not unpacked.*asarUnpack/)]);
    expect(layout(['linux-x64.node', 'win32-x64.node'], ['linux-x64.node', 'win32-x64.node'])).toEqual([
      expect.stringMatching(/win32-x64.node does not belong in a linux-x64 app/),
    ]);
  });
});

const hostArch = process.arch === 'x64' || process.arch === 'arm64' ? process.arch : undefined;

describe.runIf(hostArch)('electron-builder dry run (Linux, unpacked, stand-in Electron binary)', () => {
  let work: string;
  let appDir: string;
  let entries: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'topograph-pack-'));
    // A stand-in Electron: electron-builder copies it and @electron/fuses flips the wire after the
    // sentinel. "10110001" is Electron's own default wire (runAsNode on, cookie encryption off, ...).
    const { SENTINEL } = require('@electron/fuses/dist/constants.js') as { SENTINEL: string };
    const dist = join(work, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n# '), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'LICENSE'), 'stand-in');
    writeFileSync(join(dist, 'version'), '45.5.0');

    const { build, Platform, Arch } = require('electron-builder') as {
      build(options: unknown): Promise<string[]>;
      Platform: { LINUX: { createTarget(type: string, ...archs: number[]): unknown } };
      Arch: Record<string, number>;
    };
    const config = loadBuilderConfig();
    await build({
      projectDir: PROJECT_DIR,
      targets: Platform.LINUX.createTarget('dir', Arch[hostArch as string] as number),
      config: { ...config, electronDist: dist, directories: { ...(config['directories'] as object), output: join(work, 'release') } },
    });
    appDir = join(work, 'release', hostArch === 'x64' ? 'linux-unpacked' : `linux-${hostArch}-unpacked`);
    const asar = require('@electron/asar') as { listPackage(file: string, options: { isPack: boolean }): string[] };
    entries = asar.listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((entry) => entry.split('\\').join('/'));
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs main, preload, renderer (with its workers) and package.json into app.asar', () => {
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(entries).toContain(file);
    for (const worker of workerFiles()) expect(entries).toContain(`/${rel(worker)}`);
    const asar = require('@electron/asar') as { extractFile(archive: string, file: string): Buffer };
    const packed = JSON.parse(asar.extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString('utf8')) as object;
    expect(packed).toMatchObject({ main: 'out/main/index.js', type: 'module' });
  });

  it('packs no source maps, tests, sources or web host', () => {
    const ownFiles = entries.filter((entry) => !entry.startsWith('/node_modules/'));
    expect(ownFiles.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    expect(ownFiles.filter((entry) => /^\/(test|electron|renderer|scripts|resources|docs)(\/|$)|\.(test|spec)\.|^\/out\/web/.test(entry))).toEqual([]);
  });

  it('packs every production dependency the main process imports', () => {
    for (const name of Object.keys(pkg.dependencies)) expect(entries, name).toContain(`/node_modules/${name}/package.json`);
  });

  it('keeps only the host prebuild of better-sqlite3, listed in app.asar and unpacked', () => {
    const prebuilds = entries.filter((entry) => entry.startsWith('/node_modules/better-sqlite3/prebuilds/') && entry.endsWith('.node'));
    expect(prebuilds).toEqual([`/node_modules/better-sqlite3/prebuilds/linux-${hostArch}.node`]);
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds', `linux-${hostArch}.node`))).toBe(true);
  });

  it('flips the fuses in the packaged binary', async () => {
    const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as {
      getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
      FuseV1Options: Record<string, number>;
    };
    const wire = await getCurrentFuseWire(join(appDir, 'topograph'));
    const state = (name: string): string => String.fromCharCode(Number(wire[String(FuseV1Options[name])]));
    expect({
      runAsNode: state('RunAsNode'),
      cookieEncryption: state('EnableCookieEncryption'),
      nodeOptions: state('EnableNodeOptionsEnvironmentVariable'),
      nodeCliInspect: state('EnableNodeCliInspectArguments'),
      asarIntegrity: state('EnableEmbeddedAsarIntegrityValidation'),
      onlyLoadAppFromAsar: state('OnlyLoadAppFromAsar'),
      fileProtocolPrivileges: state('GrantFileProtocolExtraPrivileges'),
    }).toEqual({
      runAsNode: '0',
      cookieEncryption: '1',
      nodeOptions: '0',
      nodeCliInspect: '0',
      asarIntegrity: '1',
      onlyLoadAppFromAsar: '1',
      fileProtocolPrivileges: '0',
    });
  });
});
