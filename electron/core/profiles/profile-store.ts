/**
 * Connection profiles in `<dataDir>/profiles.json`, kept in memory in the order the person
 * chose. Every change is written atomically before it is answered; secrets go to the
 * SecretStore and never into this file.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { subscriptionSpec, type ProfileFields, type ProfileInput, type ProfileView, type SecretName, type SecretUpdate } from '../../common/model';
import { ApiFailure } from '../../common/result';
import { errorText, keepAside, readJsonFile, removeStaleTempFiles, setAside, storageFailure, writeFileAtomic } from './json-file';
import { completeFields, migrate, PROFILES_VERSION, readProfiles, UnusableDocument, type StoredProfile } from './profile-document';
import type { SecretChanges, SecretStore } from './secret-store';

export const PROFILES_FILE = 'profiles.json';
const MAX_NAME = 200;

/** A profile to add as it is (import): its fields and the secrets that come with it. */
export interface NewProfile {
  fields: ProfileFields;
  secrets: SecretChanges;
}

export class ProfileStore {
  readonly path: string;
  private profiles: StoredProfile[] = [];
  /** False when a broken file could not be moved aside: writing would destroy it. */
  private writable = true;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
    problems: string[],
    private readonly onDidChange: () => void = () => {},
  ) {
    this.path = join(dataDir, PROFILES_FILE);
    removeStaleTempFiles(this.path);
    this.load(problems);
  }

  private load(problems: string[]): void {
    const read = readJsonFile(this.path);
    if (read.state === 'missing') return;
    const broken = { what: 'connection profiles', consequence: 'Topograph started with no saved profiles' };
    if (read.state === 'broken') {
      this.writable = setAside(this.path, { ...broken, reason: read.reason }, problems);
      return;
    }
    let entries: unknown[];
    let migrated = false;
    try {
      const doc = migrate(read.value);
      migrated = !isCurrent(read.value);
      entries = doc.profiles;
    } catch (error) {
      if (!(error instanceof UnusableDocument)) throw error;
      this.writable = setAside(this.path, { ...broken, reason: error.message }, problems);
      return;
    }
    const { profiles, dropped } = readProfiles(entries);
    this.profiles = profiles;
    if (dropped.length === 0 && !migrated) return;

    // Keep the file as it was before rewriting it without the dropped entries or in the new
    // version, so nothing the person had is lost.
    const kept = keepAside(this.path, { copy: true, tag: dropped.length > 0 ? 'corrupt' : 'backup' });
    for (const reason of dropped) {
      problems.push(
        kept === undefined
          ? `In ${this.path}, ${reason}; it was left out, and the file was not changed because it could not be copied aside first.`
          : `In ${this.path}, ${reason}; it was left out, and the original file is kept as ${kept}. Fix the profile there or create it again.`,
      );
    }
    if (kept === undefined) {
      this.writable = false;
      if (dropped.length === 0) problems.push(`Topograph could not back up ${this.path} before upgrading it, so it will not change that file. Check the permissions of the data folder.`);
      return;
    }
    try {
      this.write(this.profiles);
    } catch (error) {
      problems.push(`Topograph could not rewrite ${this.path} (${errorText(error)}); it will try again at the next change.`);
    }
  }

  list(): ProfileView[] {
    return this.profiles.map((profile) => this.view(profile));
  }

  get(id: string): ProfileView {
    return this.view(this.find(id));
  }

  /** The profile's name, for sentences about it. */
  nameOf(id: string): string {
    return this.find(id).name;
  }

  /** Creates the profile when `input.id` is absent, else replaces the fields of that profile. */
  save(input: ProfileInput): ProfileView {
    const { id, secrets: updates, ...fields } = input;
    const changes = secretChanges(updates);
    if (id === undefined) {
      const profile = { ...separateKeyPem(completeFields(fields), changes), id: randomUUID() };
      // A new profile with nothing to watch would look broken; # and $SYS/# show the broker at once.
      if (profile.subscriptions.length === 0) profile.subscriptions = defaultSubscriptions();
      this.secrets.update(profile.id, changes);
      this.commit([...this.profiles, profile]);
      return this.view(profile);
    }
    this.find(id);
    const profile = { ...separateKeyPem(completeFields(fields), changes), id };
    this.secrets.update(id, changes);
    this.commit(this.profiles.map((existing) => (existing.id === id ? profile : existing)));
    return this.view(profile);
  }

  /** A copy named "… (copy)" with the same secrets, placed right after the original. */
  duplicate(id: string): ProfileView {
    const original = this.find(id);
    const copy: StoredProfile = { ...structuredClone(original), id: randomUUID(), name: copyName(original.name) };
    this.secrets.copy(id, copy.id);
    const next = [...this.profiles];
    next.splice(this.profiles.indexOf(original) + 1, 0, copy);
    this.commit(next);
    return this.view(copy);
  }

  delete(id: string): void {
    this.find(id);
    // Secrets first: if the second write fails, a password must not outlive a profile the
    // person meant to delete.
    this.secrets.remove(id);
    this.commit(this.profiles.filter((profile) => profile.id !== id));
  }

  /** Puts `ids` first in that order; profiles not named keep their relative order after them. */
  reorder(ids: string[]): ProfileView[] {
    const wanted = [...new Set(ids)].map((id) => this.find(id));
    const rest = this.profiles.filter((profile) => !wanted.includes(profile));
    this.commit([...wanted, ...rest]);
    return this.list();
  }

  /** Adds profiles with new ids, in one write (import). */
  add(entries: NewProfile[]): ProfileView[] {
    if (entries.length === 0) return [];
    const added = entries.map((entry) => {
      const changes = { ...entry.secrets };
      const profile: StoredProfile = { ...separateKeyPem(completeFields(entry.fields), changes), id: randomUUID() };
      return { profile, changes };
    });
    for (const { profile, changes } of added) this.secrets.update(profile.id, changes);
    this.commit([...this.profiles, ...added.map((entry) => entry.profile)]);
    return added.map((entry) => this.view(entry.profile));
  }

  secret(id: string, name: SecretName): string | undefined {
    return this.secrets.get(id, name, this.find(id).name);
  }

  private find(id: string): StoredProfile {
    const profile = this.profiles.find((candidate) => candidate.id === id);
    if (!profile) {
      throw new ApiFailure('not-found', `There is no connection profile with id "${id.slice(0, 100)}"; it may have been deleted in another window. Reload the profile list.`);
    }
    return profile;
  }

  private view(profile: StoredProfile): ProfileView {
    return { ...structuredClone(profile), secrets: this.secrets.saved(profile.id) };
  }

  private commit(next: StoredProfile[]): void {
    if (!this.writable) {
      throw new ApiFailure('storage', `Topograph will not write over ${this.path}, which it could not read or move aside. Check the permissions of the data folder and restart Topograph.`);
    }
    try {
      this.write(next);
    } catch (error) {
      throw storageFailure('connection profiles', this.path, error);
    }
    this.profiles = next;
    this.onDidChange();
  }

  private write(profiles: StoredProfile[]): void {
    writeFileAtomic(this.path, JSON.stringify({ version: PROFILES_VERSION, profiles }, null, 2) + '\n');
  }
}

function isCurrent(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { version?: unknown }).version === PROFILES_VERSION;
}

function secretChanges(updates: Partial<Record<SecretName, SecretUpdate>>): SecretChanges {
  const changes: SecretChanges = {};
  for (const [name, update] of Object.entries(updates) as [SecretName, SecretUpdate | undefined][]) {
    if (update?.action === 'set') changes[name] = update.value;
    else if (update?.action === 'clear') changes[name] = null;
  }
  return changes;
}

/**
 * A private key pasted as PEM text is a secret: it moves into `changes` (unless the caller set
 * keyPem explicitly) and the stored field keeps only the kind.
 */
function separateKeyPem(fields: ProfileFields, changes: SecretChanges): ProfileFields {
  const key = fields.tls.key;
  if (key.kind !== 'pem' || key.value === '') return fields;
  if (changes.keyPem === undefined) changes.keyPem = key.value;
  return { ...fields, tls: { ...fields.tls, key: { kind: 'pem', value: '' } } };
}

function defaultSubscriptions(): ProfileFields['subscriptions'] {
  // Retain As Published: an explorer wants to see which live messages are retained, not only the first.
  return [subscriptionSpec.parse({ filter: '#', qos: 0, retainAsPublished: true }), subscriptionSpec.parse({ filter: '$SYS/#', qos: 0 })];
}

function copyName(name: string): string {
  const suffix = ' (copy)';
  return name.slice(0, MAX_NAME - suffix.length) + suffix;
}
