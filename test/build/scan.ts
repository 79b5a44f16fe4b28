/**
 * A static scan of built code for Electron settings that undo the security baseline. Minifiers
 * write `true`/`false` as `!0`/`!1` and may quote keys, so the patterns allow for both.
 */
const TRUE = String.raw`(?:true|!0)`;
const FALSE = String.raw`(?:false|!1)`;
const setting = (name: string, value: string): RegExp => new RegExp(String.raw`(?<![\w$])["'\x60]?${name}["'\x60]?\s*:\s*${value}(?![\w$])`);

export const DANGEROUS_SETTINGS: [string, RegExp][] = [
  ['nodeIntegration: true', setting('nodeIntegration', TRUE)],
  ['nodeIntegrationInWorker: true', setting('nodeIntegrationInWorker', TRUE)],
  ['nodeIntegrationInSubFrames: true', setting('nodeIntegrationInSubFrames', TRUE)],
  ['contextIsolation: false', setting('contextIsolation', FALSE)],
  ['sandbox: false', setting('sandbox', FALSE)],
  ['webSecurity: false', setting('webSecurity', FALSE)],
  ['allowRunningInsecureContent: true', setting('allowRunningInsecureContent', TRUE)],
  ['webviewTag: true', setting('webviewTag', TRUE)],
  ['experimentalFeatures: true', setting('experimentalFeatures', TRUE)],
  ['enableRemoteModule', /enableRemoteModule/],
  ['@electron/remote', /@electron\/remote/],
  ['enableBlinkFeatures', /enableBlinkFeatures/],
  ['the disable-web-security switch', /disable-web-security/],
  ['the no-sandbox switch', /appendSwitch\(\s*["'\x60]no-sandbox/],
  ['the ignore-certificate-errors switch', /ignore-certificate-errors/],
  ['a page loaded from file://', /\.loadFile\(|\.loadURL\(\s*["'\x60]file:/],
  ['a window.open that is allowed', /action\s*:\s*["'\x60]allow["'\x60]/],
];

/** Names of the dangerous settings found in `code`. */
export function scanForDangerousSettings(code: string): string[] {
  return DANGEROUS_SETTINGS.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
}

/** Bare module specifiers a built ESM/CJS file imports (no relative paths, no node: built-ins). */
export function bareImports(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found].filter((name) => !name.startsWith('.') && !name.startsWith('/') && !name.startsWith('node:')).sort();
}

/** The package a specifier belongs to: `@scope/name` or `name`. */
export const packageOf = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
