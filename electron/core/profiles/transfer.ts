/**
 * The profile exchange file: `{ format: 'topograph-profiles', version: 1, profiles: [...] }`.
 * Secrets leave only when the person asks for them, in clear text under each profile's
 * `secrets`; ids never leave (an import always makes new ones).
 */
import { z } from 'zod';
import { describeIssues } from '../../common/dispatch';
import { profileFields, SECRET_NAMES, type ProfileFields, type SecretName } from '../../common/model';
import { ApiFailure } from '../../common/result';
import { describeEntry, isRecord } from './profile-document';
import type { NewProfile } from './profile-store';

export const EXPORT_FORMAT = 'topograph-profiles';
export const EXPORT_VERSION = 1;

export type ExportedProfile = ProfileFields & { secrets?: Partial<Record<SecretName, string>> };

export interface ProfilesExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  profiles: ExportedProfile[];
}

const exportedSecrets = z.partialRecord(z.enum(SECRET_NAMES), z.string().max(1_000_000));
const exportedProfile = profileFields.extend({ secrets: exportedSecrets.optional() });

export function exportText(profiles: ExportedProfile[]): string {
  const doc: ProfilesExport = { format: EXPORT_FORMAT, version: EXPORT_VERSION, profiles };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * Reads an exchange file. The file as a whole must be one (else ApiFailure); each profile in it
 * is checked on its own, so one bad entry is reported and the others still come in.
 */
export function parseImport(json: string): { entries: NewProfile[]; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new ApiFailure('invalid-argument', `The file to import is not valid JSON (${cause}). Choose a file made by "Export profiles".`);
  }
  if (!isRecord(doc) || doc['format'] !== EXPORT_FORMAT || !Array.isArray(doc['profiles'])) {
    throw new ApiFailure('invalid-argument', 'The file to import is not a Topograph profiles export. Choose a file made by "Export profiles".');
  }
  const version = doc['version'];
  if (typeof version !== 'number' || version > EXPORT_VERSION) {
    throw new ApiFailure(
      'invalid-argument',
      `The file to import was made by a newer Topograph (export version ${String(version)}; this one reads up to ${EXPORT_VERSION}). Update Topograph to import it.`,
    );
  }
  const entries: NewProfile[] = [];
  const problems: string[] = [];
  doc['profiles'].forEach((entry: unknown, index: number) => {
    const parsed = exportedProfile.safeParse(entry);
    if (!parsed.success) {
      const label = describeEntry(entry, index);
      problems.push(`${label.charAt(0).toUpperCase()}${label.slice(1)} was not imported: ${describeIssues(parsed.error)}.`);
      return;
    }
    const { secrets, ...fields } = parsed.data;
    entries.push({ fields, secrets: { ...secrets } });
  });
  return { entries, problems };
}
