/**
 * UI settings (panel sizes, theme, decoder per topic, chart series) as JSON values per scope
 * ('app' or a profile id) in `<dataDir>/settings.json`. A drag of a splitter sets a value many
 * times a second, so writes are gathered: at most one write per FLUSH_DELAY_MS, and close()
 * writes whatever is still pending.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { errorText, readJsonFile, removeStaleTempFiles, setAside, writeFileAtomic } from './json-file';

export const SETTINGS_FILE = 'settings.json';
export const FLUSH_DELAY_MS = 250;
const SETTINGS_VERSION = 1;

type Scope = Record<string, unknown>;
const settingsDocument = z.object({
  version: z.literal(SETTINGS_VERSION),
  scopes: z.record(z.string(), z.record(z.string(), z.json())),
});

export class SettingsStore {
  readonly path: string;
  private scopes = new Map<string, Scope>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  private writable = true;

  constructor(
    dataDir: string,
    problems: string[],
    /** Told when a gathered write fails; there is no request left to answer with the error. */
    private readonly onProblem: (message: string) => void = () => {},
    private readonly delayMs = FLUSH_DELAY_MS,
  ) {
    this.path = join(dataDir, SETTINGS_FILE);
    removeStaleTempFiles(this.path);
    this.load(problems);
  }

  private load(problems: string[]): void {
    const read = readJsonFile(this.path);
    if (read.state === 'missing') return;
    const broken = { what: 'settings', consequence: 'Topograph started with default settings (panel sizes, theme, decoders)' };
    if (read.state === 'broken') {
      this.writable = setAside(this.path, { ...broken, reason: read.reason }, problems);
      return;
    }
    const parsed = settingsDocument.safeParse(read.value);
    if (!parsed.success) {
      this.writable = setAside(this.path, { ...broken, reason: 'it is not a settings file this version of Topograph knows' }, problems);
      return;
    }
    for (const [scope, values] of Object.entries(parsed.data.scopes)) this.scopes.set(scope, { ...values });
  }

  get(scope: string): Record<string, unknown> {
    return structuredClone(this.scopes.get(scope) ?? {});
  }

  /** `null` removes the key, so a setting can go back to its default. */
  set(scope: string, key: string, value: unknown): void {
    const values = { ...this.scopes.get(scope) };
    if (value === null) delete values[key];
    else values[key] = structuredClone(value);
    this.scopes.set(scope, values);
    this.changed();
  }

  /** Forgets a deleted profile's settings. */
  removeScope(scope: string): void {
    if (this.scopes.delete(scope)) this.changed();
  }

  /** Gives a duplicated profile the settings of its original. */
  copyScope(from: string, to: string): void {
    const values = this.scopes.get(from);
    if (!values) return;
    this.scopes.set(to, structuredClone(values));
    this.changed();
  }

  /** Writes pending changes now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty || !this.writable) return;
    this.dirty = false;
    const scopes: Record<string, Scope> = {};
    for (const [scope, values] of this.scopes) if (Object.keys(values).length > 0) scopes[scope] = values;
    try {
      writeFileAtomic(this.path, JSON.stringify({ version: SETTINGS_VERSION, scopes }, null, 2) + '\n');
    } catch (error) {
      this.dirty = true;
      this.onProblem(
        `Topograph could not save its settings to ${this.path} (${errorText(error)}). Check that the data folder is writable and the disk has free space; Topograph will try again at the next change.`,
      );
    }
  }

  close(): void {
    this.flush();
  }

  private changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    // A pending write must not keep Node alive; close() writes it anyway.
    this.timer.unref?.();
  }
}
