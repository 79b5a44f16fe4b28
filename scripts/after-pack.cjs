// electron-builder afterPack hook: checks that the packed app carries exactly the better-sqlite3
// prebuild for its own platform and arch, listed in app.asar (where better-sqlite3's loader looks
// with fs.existsSync) and unpacked beside it (where Electron loads native modules from).
// The `files` filter in electron-builder.yml does the choosing, by the build machine's platform; this
// fails the build loudly when that is not the target (a cross build) or the filter stops working,
// instead of shipping an app that cannot open its database.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook: electron-builder require()s it */
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

/** builder-util's Arch enum, by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];
const PREBUILD = /[\\/]node_modules[\\/]better-sqlite3[\\/]prebuilds[\\/]([^\\/]+\.node)$/;

function archName(arch) {
  return typeof arch === 'number' ? ARCH_NAMES[arch] : String(arch);
}

/** The prebuild file names an app for this platform and arch must carry. */
function expectedPrebuilds(platform, arch) {
  if (platform === 'darwin' && arch === 'universal') return ['darwin-arm64.node', 'darwin-x64.node'];
  return [`${platform}-${arch}.node`];
}

function resourcesDir(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') {
    return path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources');
  }
  return path.join(context.appOutDir, 'resources');
}

function listAsar(asarFile) {
  // Resolved at packaging time, where electron-builder (and so @electron/asar) is installed.
  const asar = require('@electron/asar');
  return asar.listPackage(asarFile, { isPack: false });
}

/** Returns the problems found, as sentences; none means the app can load its database. */
function checkPrebuilds({ resources, platform, arch, list = listAsar }) {
  const expected = expectedPrebuilds(platform, arch);
  const problems = [];
  const asarFile = path.join(resources, 'app.asar');
  if (!existsSync(asarFile)) return [`No app.asar in ${resources}: the app must be packed with asar for its fuses to hold.`];

  const listed = list(asarFile)
    .map((entry) => PREBUILD.exec(entry)?.[1])
    .filter((name) => name !== undefined)
    .sort();
  const unpackedDir = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds');
  const unpacked = existsSync(unpackedDir) ? readdirSync(unpackedDir).filter((n) => n.endsWith('.node')).sort() : [];

  for (const name of expected) {
    if (!listed.includes(name)) {
      problems.push(
        `better-sqlite3's prebuild ${name} is missing from app.asar, so the app could not open its database. Build ${platform} packages on ${platform}.`,
      );
    }
    if (!unpacked.includes(name)) problems.push(`better-sqlite3's prebuild ${name} is not unpacked from app.asar; check asarUnpack.`);
  }
  for (const name of new Set([...listed, ...unpacked])) {
    if (!expected.includes(name)) problems.push(`better-sqlite3's prebuild ${name} does not belong in a ${platform}-${arch} app; build ${platform} packages on ${platform}, and check the prebuilds filter in electron-builder.yml.`);
  }
  return problems;
}

async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const arch = archName(context.arch);
  const problems = checkPrebuilds({ resources: resourcesDir(context), platform, arch });
  if (problems.length > 0) throw new Error(`Packaging check failed for ${platform}-${arch}:\n- ${problems.join('\n- ')}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.checkPrebuilds = checkPrebuilds;
module.exports.expectedPrebuilds = expectedPrebuilds;
module.exports.resourcesDir = resourcesDir;
