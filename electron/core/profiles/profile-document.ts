/**
 * The on-disk shape of profiles.json, `{ version, profiles }`, and the steps that bring an older
 * document up to the current version. Secrets are never part of it (see secret-store.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { describeIssues } from '../../common/dispatch';
import { profileFields, retentionSettings, tlsSettings, type ProfileFields } from '../../common/model';

export const PROFILES_VERSION = 1;

export type StoredProfile = ProfileFields & { id: string };
const storedProfile = profileFields.extend({ id: z.string().min(1).max(100) });

export interface ProfilesDocument {
  version: typeof PROFILES_VERSION;
  profiles: StoredProfile[];
}

/** What a migration step hands to the next: the profiles are validated only at the end. */
interface RawDocument {
  version: number;
  profiles: unknown[];
}

export class UnusableDocument extends Error {}

/**
 * Version 0, written by early builds: a bare array of profiles without ids (they were told
 * apart by name) whose transport field was called `protocol`, with 'tcp' and 'tls' for
 * mqtt and mqtts.
 */
function fromV0(doc: unknown): RawDocument {
  if (!Array.isArray(doc)) throw new UnusableDocument('a version 0 document must be a list of profiles');
  const transports: Record<string, string> = { tcp: 'mqtt', tls: 'mqtts' };
  const profiles = doc.map((entry: unknown) => {
    if (!isRecord(entry)) return entry;
    const { protocol, ...rest } = entry;
    const next: Record<string, unknown> = { ...rest, id: typeof rest['id'] === 'string' ? rest['id'] : randomUUID() };
    if (typeof protocol === 'string' && next['transport'] === undefined) next['transport'] = transports[protocol] ?? protocol;
    return next;
  });
  return { version: 1, profiles };
}

/** MIGRATIONS[n] turns a version-n document into a version n+1 document. */
const MIGRATIONS: Record<number, (doc: unknown) => RawDocument> = { 0: fromV0 };

export function documentVersion(doc: unknown): number | undefined {
  if (Array.isArray(doc)) return 0;
  if (isRecord(doc) && Number.isInteger(doc['version'])) return doc['version'] as number;
  return undefined;
}

/**
 * Brings any known version up to the current one. Throws UnusableDocument (with a clause saying
 * why) for a shape it does not know, including one written by a newer Topograph.
 */
export function migrate(doc: unknown): RawDocument {
  const from = documentVersion(doc);
  if (from === undefined) throw new UnusableDocument('it has no version number, so it is not a profiles file Topograph knows');
  if (from > PROFILES_VERSION) {
    throw new UnusableDocument(`it was written by a newer Topograph (file version ${from}, this one reads up to ${PROFILES_VERSION})`);
  }
  let current: unknown = doc;
  for (let version = from; version < PROFILES_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new UnusableDocument(`Topograph has no way to read file version ${version}`);
    current = step(current);
  }
  if (!isRecord(current) || !Array.isArray(current['profiles'])) {
    throw new UnusableDocument('it has no list of profiles');
  }
  return { version: PROFILES_VERSION, profiles: current['profiles'] };
}

/**
 * Validates each profile on its own so one bad entry costs only itself. Returns the usable
 * profiles and a clause for each one left out.
 */
export function readProfiles(entries: unknown[]): { profiles: StoredProfile[]; dropped: string[] } {
  const profiles: StoredProfile[] = [];
  const dropped: string[] = [];
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    const label = describeEntry(entry, index);
    const parsed = storedProfile.safeParse(entry);
    if (!parsed.success) {
      dropped.push(`${label} is invalid (${describeIssues(parsed.error)})`);
    } else if (ids.has(parsed.data.id)) {
      dropped.push(`${label} repeats the id of an earlier profile`);
    } else {
      ids.add(parsed.data.id);
      profiles.push(completeFields(parsed.data));
    }
  });
  return { profiles, dropped };
}

/**
 * zod 4 returns an object field's `.default()` value as is, without parsing it, so a missing
 * `tls` or `retention` comes out as `{}`; parsing them again fills in their own defaults.
 */
export function completeFields<T extends ProfileFields>(fields: T): T {
  return { ...fields, tls: tlsSettings.parse(fields.tls), retention: retentionSettings.parse(fields.retention) };
}

export function describeEntry(entry: unknown, index: number): string {
  const name = isRecord(entry) && typeof entry['name'] === 'string' ? ` ("${entry['name'].slice(0, 80)}")` : '';
  return `profile ${index + 1}${name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
