/**
 * Secrets of all profiles, sealed by the injected SecretBox, in `<dataDir>/secrets.json`
 * (mode 0600), apart from profiles.json. A sealed value is unsealed only when a part asks for
 * it; it never goes into a ProfileView, an event or profiles.json.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SECRET_NAMES, type SecretName } from '../../common/model';
import { ApiFailure } from '../../common/result';
import type { SecretBox } from '../services';
import { errorText, readJsonFile, removeStaleTempFiles, setAside, storageFailure, writeFileAtomic } from './json-file';

export const SECRETS_FILE = 'secrets.json';
const SECRETS_VERSION = 1;

type SealedSecrets = Partial<Record<SecretName, string>>;
const secretsDocument = z.object({
  version: z.literal(SECRETS_VERSION),
  secrets: z.record(z.string(), z.partialRecord(z.enum(SECRET_NAMES), z.string())),
});

export const SECRET_LABELS: Record<SecretName, string> = {
  password: 'password',
  keyPassphrase: 'private key passphrase',
  pfxPassphrase: 'PKCS#12 passphrase',
  keyPem: 'pasted private key',
};

/** A secret to set (string) or clear (null); names left out stay as they are. */
export type SecretChanges = Partial<Record<SecretName, string | null>>;

export class SecretStore {
  readonly path: string;
  private sealed = new Map<string, SealedSecrets>();
  /** Secrets that failed to unseal this run ("id\0name"): reported once, then treated as missing. */
  private readonly unreadable = new Set<string>();
  private writable = true;

  constructor(
    dataDir: string,
    private readonly box: SecretBox,
    problems: string[],
    /** Told when a saved secret cannot be unsealed, with the sentence to show. */
    private readonly onUnreadable: (message: string) => void,
  ) {
    this.path = join(dataDir, SECRETS_FILE);
    removeStaleTempFiles(this.path);
    this.load(problems);
  }

  private load(problems: string[]): void {
    const read = readJsonFile(this.path, { secret: true });
    if (read.state === 'missing') return;
    const broken = {
      what: 'saved passwords and keys',
      consequence: 'the profiles start without saved secrets, so enter them again in each profile',
    };
    if (read.state === 'broken') {
      this.writable = setAside(this.path, { ...broken, reason: read.reason }, problems);
      return;
    }
    const parsed = secretsDocument.safeParse(read.value);
    if (!parsed.success) {
      this.writable = setAside(this.path, { ...broken, reason: 'it is not a secrets file this version of Topograph knows' }, problems);
      return;
    }
    for (const [id, secrets] of Object.entries(parsed.data.secrets)) this.sealed.set(id, { ...secrets });
  }

  /** Which secrets a profile has; one that failed to unseal counts as missing. */
  saved(profileId: string): Record<SecretName, boolean> {
    const sealed = this.sealed.get(profileId) ?? {};
    const entries = SECRET_NAMES.map((name) => [name, sealed[name] !== undefined && !this.unreadable.has(key(profileId, name))]);
    return Object.fromEntries(entries) as Record<SecretName, boolean>;
  }

  /** The unsealed secret, or undefined when none is saved or it cannot be unsealed. */
  get(profileId: string, name: SecretName, profileName: string): string | undefined {
    const sealed = this.sealed.get(profileId)?.[name];
    if (sealed === undefined || this.unreadable.has(key(profileId, name))) return undefined;
    try {
      return this.box.unseal(sealed);
    } catch (error) {
      this.unreadable.add(key(profileId, name));
      this.onUnreadable(
        `The saved ${SECRET_LABELS[name]} of profile "${profileName}" could not be decrypted (${errorText(error)}); ` +
          `this happens when the system's key store changed. Enter it again in the profile and save.`,
      );
      return undefined;
    }
  }

  /** Every readable secret of a profile, unsealed (for an export that asks for them). */
  all(profileId: string, profileName: string): SealedSecrets {
    const out: SealedSecrets = {};
    for (const name of SECRET_NAMES) {
      const value = this.get(profileId, name, profileName);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Seals and writes the changes of one profile in one write. */
  update(profileId: string, changes: SecretChanges): void {
    const names = SECRET_NAMES.filter((name) => changes[name] !== undefined);
    if (names.length === 0) return;
    const next: SealedSecrets = { ...this.sealed.get(profileId) };
    for (const name of names) {
      const value = changes[name];
      if (value === null || value === undefined) delete next[name];
      else next[name] = this.seal(value, name);
    }
    this.commit(new Map(this.sealed).set(profileId, next));
    for (const name of names) this.unreadable.delete(key(profileId, name));
  }

  /** Gives `toId` the same sealed secrets as `fromId` (for a duplicated profile). */
  copy(fromId: string, toId: string): void {
    const source = this.sealed.get(fromId);
    if (!source || Object.keys(source).length === 0) return;
    this.commit(new Map(this.sealed).set(toId, { ...source }));
  }

  remove(profileId: string): void {
    if (!this.sealed.has(profileId)) return;
    const next = new Map(this.sealed);
    next.delete(profileId);
    this.commit(next);
  }

  private seal(value: string, name: SecretName): string {
    try {
      return this.box.seal(value);
    } catch (error) {
      throw new ApiFailure(
        'storage',
        `Topograph could not encrypt the ${SECRET_LABELS[name]} (${errorText(error)}). The profile was not saved; check that the system's key store is unlocked and try again.`,
      );
    }
  }

  private commit(next: Map<string, SealedSecrets>): void {
    if (!this.writable) {
      throw new ApiFailure('storage', `Topograph will not write over ${this.path}, which it could not read or move aside. Check the permissions of the data folder and restart Topograph.`);
    }
    const secrets: Record<string, SealedSecrets> = {};
    for (const [id, sealed] of next) if (Object.keys(sealed).length > 0) secrets[id] = sealed;
    try {
      writeFileAtomic(this.path, JSON.stringify({ version: SECRETS_VERSION, secrets }, null, 2) + '\n', 0o600);
    } catch (error) {
      throw storageFailure('saved passwords and keys', this.path, error);
    }
    this.sealed = next;
  }
}

const key = (profileId: string, name: SecretName): string => `${profileId}\0${name}`;
