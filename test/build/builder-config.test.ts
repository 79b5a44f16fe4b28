import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_KEYS, PROJECT_DIR, builderSchemaPath, loadBuilderConfig, packPlan, packedAppFiles, validateWithElectronBuilder, type BuilderConfig, type TargetPlatform } from './builder';

const require = createRequire(import.meta.url);
const config = loadBuilderConfig();
const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { main: string; version: string };

describe('electron-builder configuration', () => {
  it("matches electron-builder's own JSON schema, strictly", () => {
    const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(builderSchemaPath(), 'utf8')));
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('passes the validation electron-builder runs before packaging', async () => {
    await expect(validateWithElectronBuilder(config)).resolves.toBeUndefined();
  });

  it('would notice a misspelt or mistyped option (the checks above can fail)', async () => {
    await expect(validateWithElectronBuilder({ ...config, electronFuse: { runAsNode: false } })).rejects.toThrow(/electronFuse/);
    await expect(validateWithElectronBuilder({ ...config, mac: { ...config.mac, category: ['x'] } })).rejects.toThrow(/mac/);
  });

  it('names the app and its files', () => {
    expect(config).toMatchObject({
      appId: 'io.topograph.app',
      productName: 'Topograph',
      artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
      directories: { output: 'release/' },
    });
    // The version is package.json's: nothing here may override it.
    expect(config).not.toHaveProperty('extraMetadata.version');
    expect(config).not.toHaveProperty('buildVersion');
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('gives the portable .exe a name of its own, apart from the installer', () => {
    expect(config).toHaveProperty('portable.artifactName');
    expect((config['portable'] as { artifactName: string }).artifactName).not.toBe(config['artifactName']);
  });

  it('builds NSIS and portable for Windows, dmg and zip for both Mac archs, AppImage, deb and rpm for Linux', () => {
    expect(config.win?.['target']).toEqual(['nsis', 'portable']);
    expect(config.mac?.['target']).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(config.mac?.['category']).toBe('public.app-category.developer-tools');
    expect(config.linux?.['target']).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.linux?.['category']).toBe('Development');
  });

  it('sets the fuses', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    expect(config['asar']).not.toBe(false);
  });

  it('uses the Node-API prebuilds as they are, without a native rebuild', () => {
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, buildDependenciesFromSource: false });
    expect(config['asarUnpack']).toContain('**/node_modules/better-sqlite3/**/*.node');
  });

  it("keeps --no-sandbox out of the AppImage's desktop entry", async () => {
    expect(config['appImage']).toEqual({ executableArgs: [] });
    // electron-builder's own AppImageTarget builds the Exec line; only computeDesktopEntry (which
    // formats the whole file) is stubbed, to hand back the Exec value it was given.
    const { default: AppImageTarget } = require('app-builder-lib/out/targets/appimage/AppImageTarget.js') as {
      default: new (ignored: null, packager: object, helper: object, outDir: string) => { desktopEntry: { value: Promise<string> } };
    };
    const execOf = (builderConfig: BuilderConfig): Promise<string> =>
      new AppImageTarget(null, { platformSpecificBuildOptions: builderConfig.linux ?? {}, config: builderConfig, appInfo: { buildVersion: '0' } }, { computeDesktopEntry: (_options: unknown, exec: string) => Promise.resolve(exec) }, '')
        .desktopEntry.value;
    await expect(execOf(config)).resolves.toBe('AppRun %U');
    // Without the setting electron-builder turns the sandbox off for every launch from the menu.
    const { appImage: _, ...withoutSetting } = config;
    await expect(execOf(withoutSetting)).resolves.toBe('AppRun --no-sandbox %U');
  });

  it('points at icons that exist', () => {
    expect(existsSync(join(PROJECT_DIR, String(config.mac?.['icon'])))).toBe(true);
    expect(existsSync(join(PROJECT_DIR, String(config.win?.['icon'])))).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(existsSync(join(PROJECT_DIR, String(config.linux?.['icon']), `${size}x${size}.png`))).toBe(true);
    }
  });
});

describe('what gets packed', () => {
  const prebuilds = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'linuxmusl-arm64', 'linuxmusl-x64', 'win32-arm64', 'win32-x64'];
  const targets: [TargetPlatform, string][] = [
    ['darwin', 'x64'],
    ['darwin', 'arm64'],
    ['win32', 'x64'],
    ['win32', 'arm64'],
    ['linux', 'x64'],
    ['linux', 'arm64'],
  ];

  it('knows every prebuild better-sqlite3 ships (so the filters below cover them all)', () => {
    const dir = join(PROJECT_DIR, 'node_modules', 'better-sqlite3', 'prebuilds');
    expect(require('node:fs').readdirSync(dir).map((n: string) => n.replace(/\.node$/, '')).sort()).toEqual(prebuilds);
  });

  it.each(targets)('a %s-%s app keeps only its own better-sqlite3 prebuild, unpacked from asar', (platform, arch) => {
    const plan = packPlan(config, platform, arch);
    const kept = prebuilds.filter((name) => plan.includesModuleFile(`node_modules/better-sqlite3/prebuilds/${name}.node`));
    expect(kept).toEqual([`${platform}-${arch}`]);
    expect(plan.unpacks(`node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node`)).toBe(true);
    // The loader (lib/binding.js) stays packed beside it.
    expect(plan.includesModuleFile('node_modules/better-sqlite3/lib/binding.js')).toBe(true);
    expect(plan.includesModuleFile('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(false);
  });

  it.each(Object.keys(PLATFORM_KEYS) as TargetPlatform[])('packs only the built app and package.json for %s', (platform) => {
    const plan = packPlan(config, platform, 'x64');
    for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/editor.worker-abc.js', 'package.json']) {
      expect(plan.includesAppFile(file), file).toBe(true);
    }
    for (const file of [
      'out/main/index.js.map',
      'out/renderer/assets/index-abc.js.map',
      'out/renderer/assets/tree.test.js',
      'out/main/ipc.spec.mjs',
      'out/web/index.js',
      'out/.tsbuild/node.tsbuildinfo',
      'test/main/ipc.test.ts',
      'test/mocks/electron.ts',
      'electron/main/index.ts',
      'renderer/src/main.ts',
      'electron-builder.yml',
      'scripts/after-pack.cjs',
      'resources/icon.svg',
      'release/Topograph-0.1.0-linux-x86_64.AppImage',
    ]) {
      expect(plan.includesAppFile(file), file).toBe(false);
    }
  });

  it('takes nothing from the project tree but out/{main,preload,renderer} and package.json', () => {
    const packed = packedAppFiles(packPlan(config, 'linux', 'x64'));
    const stray = packed.filter((file) => !/^out\/(main|preload|renderer)\//.test(file) && file !== 'package.json');
    expect(stray).toEqual([]);
    expect(packed.filter((file) => file.endsWith('.map') || /\.(test|spec)\./.test(file) || file.startsWith('test/'))).toEqual([]);
  });
});
