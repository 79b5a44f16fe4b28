/**
 * electron-builder's own pieces, used the way it uses them: its configuration loader's YAML parser,
 * its JSON schema, and its file matchers (fileMatcher.js) with its macro expander. The matchers are
 * internal to app-builder-lib (pinned through electron-builder 26.17.0); evaluating the `files`,
 * per-platform `files` and `asarUnpack` globs through them is what makes these checks mean what
 * the packager will do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);

export const PROJECT_DIR = resolve(import.meta.dirname, '..', '..');

export type BuilderConfig = Record<string, unknown> & {
  files?: unknown[];
  mac?: Record<string, unknown>;
  win?: Record<string, unknown>;
  linux?: Record<string, unknown>;
};

export function loadBuilderConfig(): BuilderConfig {
  // electron-builder reads electron-builder.yml with js-yaml's load (app-builder-lib util/config/load.js).
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(join(PROJECT_DIR, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

export const builderSchemaPath = (): string => require.resolve('app-builder-lib/scheme.json');

/** Runs electron-builder's own validation (the one `electron-builder` runs before packaging). */
export async function validateWithElectronBuilder(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  await validateConfiguration(structuredClone(config), { isEnabled: false, add: () => undefined });
}

interface Stat {
  isDirectory(): boolean;
  moduleFullFilePath?: string;
}
type Filter = (file: string, stat: Stat) => boolean;
interface FileMatcherLike {
  patterns: string[];
  createFilter(): Filter;
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, expander: (p: string) => string, patterns?: string[]) => FileMatcherLike;
  getMainFileMatchers(...args: unknown[]): FileMatcherLike[];
  getNodeModuleFileMatcher(...args: unknown[]): FileMatcherLike;
  getFileMatchers(config: unknown, name: string, destination: string, options: unknown): FileMatcherLike[] | null;
}
const fileMatcher = (): FileMatcherModule => require('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;

/** electron-builder's name for a platform's section of the configuration. */
export const PLATFORM_KEYS = { darwin: 'mac', win32: 'win', linux: 'linux' } as const;
export type TargetPlatform = keyof typeof PLATFORM_KEYS;

export interface PackPlan {
  /** Whether a project file (path relative to the project) goes into the app. */
  includesAppFile(path: string): boolean;
  /** Whether a file of an npm package (path like node_modules/x/y.js) goes into the app. */
  includesModuleFile(path: string): boolean;
  /** Whether a packed file is unpacked from app.asar. */
  unpacks(path: string): boolean;
}

/**
 * The packager's view of the configuration for one platform and arch, as if built on that platform
 * (`${platform}` is the build machine's platform in electron-builder's macros).
 */
export function packPlan(rawConfig: BuilderConfig, platform: TargetPlatform, arch: string): PackPlan {
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js') as {
    expandMacro(pattern: string, arch: string | null, appInfo: unknown, extra?: Record<string, string>): string;
  };
  const { doMergeConfigs } = require('app-builder-lib/out/util/config/config.js') as { doMergeConfigs(configs: unknown[]): BuilderConfig };
  // The packager works on the merged, normalised configuration: its `files` strings become file sets.
  const config = doMergeConfigs([structuredClone(rawConfig)]);
  const appInfo = { productName: 'Topograph', sanitizedProductName: 'Topograph', version: '0.0.0' };
  const os = PLATFORM_KEYS[platform];
  const expander = (pattern: string): string => expandMacro(pattern.split('${platform}').join(platform), arch, appInfo, { os, '/*': '{,/**/*}' });
  const platformOptions = (config[os] ?? {}) as Record<string, unknown>;
  const destination = '/packed/app';
  const directories = (config['directories'] ?? {}) as Record<string, string>;
  const outDir = join(PROJECT_DIR, directories['output'] ?? 'dist');
  const info = {
    projectDir: PROJECT_DIR,
    buildResourcesDir: directories['buildResources'] ?? 'build',
    config,
    isPrepackedAppAsar: false,
    debugLogger: { isEnabled: false, add: () => undefined },
  };
  const { FileMatcher, getMainFileMatchers, getNodeModuleFileMatcher, getFileMatchers } = fileMatcher();
  // Every matcher copies files; the first one also gets electron-builder's default exclusions.
  const mains = getMainFileMatchers(PROJECT_DIR, destination, expander, platformOptions, { info }, outDir, false).map((m) => m.createFilter());
  const modules = getNodeModuleFileMatcher(PROJECT_DIR, destination, expander, platformOptions, info);
  const unpack = getFileMatchers(config, 'asarUnpack', destination, {
    macroExpander: expander,
    customBuildOptions: platformOptions,
    globalOutDir: outDir,
    defaultSrc: PROJECT_DIR,
  })?.[0]?.createFilter();

  const moduleStat = (path: string): Stat => ({ isDirectory: () => false, moduleFullFilePath: path });
  return {
    includesAppFile: (path) => mains.some((filter) => filter(join(PROJECT_DIR, path), { isDirectory: () => false })),
    includesModuleFile: (path) => {
      // The packager filters each package's files with these patterns, relative to node_modules.
      const pkgDir = join(PROJECT_DIR, ...path.split('/').slice(0, 2));
      const filter = new FileMatcher(pkgDir, destination, expander, modules.patterns).createFilter();
      return filter(join(PROJECT_DIR, path), moduleStat(path));
    },
    unpacks: (path) => unpack?.(join(PROJECT_DIR, path), moduleStat(path)) ?? false,
  };
}

/** Every project file the packager would take, walking the tree as it does (node_modules apart). */
export function packedAppFiles(plan: PackPlan): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const rel = relative(PROJECT_DIR, full).split(sep).join('/');
      if (rel === 'node_modules' || rel === '.git') continue;
      let isDirectory: boolean;
      try {
        isDirectory = statSync(full).isDirectory();
      } catch {
        continue; // removed while we walked (a build rewriting out/)
      }
      if (isDirectory) walk(full);
      else if (plan.includesAppFile(rel)) found.push(rel);
    }
  };
  walk(PROJECT_DIR);
  return found.sort();
}

// ---- the built output

export const OUT_DIR = join(PROJECT_DIR, 'out');
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const SOURCES = ['electron', 'renderer', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why out/ must be (re)built, or undefined when it is current. */
export function staleOutput(): string | undefined {
  const missing = OUTPUTS.find((file) => !existsSync(join(PROJECT_DIR, file)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((file) => statSync(join(PROJECT_DIR, file)).mtimeMs));
  const changed = SOURCES.find((source) => newestMtime(join(PROJECT_DIR, source)) > built);
  return changed ? `${changed} changed since the last build` : undefined;
}

/** Builds out/ with `electron-vite build` when it is missing or older than the sources. */
export function ensureBuilt(): void {
  if (!staleOutput()) return;
  const bin = join(PROJECT_DIR, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  try {
    execFileSync(bin, ['build'], { cwd: PROJECT_DIR, stdio: 'pipe', timeout: 600_000 });
  } catch (error) {
    const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() || (error as Error).message;
    throw new Error(`\`npx electron-vite build\` failed, so the built app cannot be checked. Fix the build first:\n${output.slice(-4000)}`);
  }
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
