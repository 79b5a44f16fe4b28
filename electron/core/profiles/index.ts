/**
 * The profiles part: connection profiles, their secrets and the UI's settings, each in its own
 * file of the data dir. Other parts read profiles through `source`, never through the files.
 */
import type { ProfileView } from '../../common/model';
import { PROFILE_PRESETS } from '../../common/presets';
import type { Part } from '../parts';
import type { EngineContext, ProfileLeftovers, ProfileSource, SecretBox } from '../services';
import { ProfileStore } from './profile-store';
import { SecretStore } from './secret-store';
import { SettingsStore } from './settings-store';
import { exportText, parseImport, type ExportedProfile } from './transfer';

export { plainSecretBox } from './secret-box';

export interface ProfilesPart extends Part<'profiles' | 'settings'> {
  source: ProfileSource;
}

export function createProfilesPart(ctx: EngineContext, deps: { secretBox: SecretBox; leftovers: ProfileLeftovers }): ProfilesPart {
  const report = (message: string): void => {
    ctx.problems.push(message);
    ctx.events.emit({ type: 'app.problem', message });
  };
  const changed = (): void => ctx.events.emit({ type: 'profiles.changed', profiles: profiles.list() });
  const secrets = new SecretStore(ctx.dataDir, deps.secretBox, ctx.problems, (message) => {
    report(message);
    // The profile now shows that secret as missing.
    changed();
  });
  const profiles: ProfileStore = new ProfileStore(ctx.dataDir, secrets, ctx.problems, changed);
  const settings = new SettingsStore(ctx.dataDir, ctx.problems, report);

  const exportProfiles = (ids: string[], includeSecrets: boolean): ExportedProfile[] => {
    const wanted = new Set(ids);
    for (const id of wanted) profiles.get(id); // unknown id: not-found
    return profiles
      .list()
      .filter((view) => wanted.has(view.id))
      .map((view) => {
        const fields: ExportedProfile = withoutIdentity(view);
        if (!includeSecrets) return fields;
        const clear = secrets.all(view.id, view.name);
        return Object.keys(clear).length > 0 ? { ...fields, secrets: clear } : fields;
      });
  };

  return {
    source: {
      get: (id) => profiles.get(id),
      secret: async (id, name) => profiles.secret(id, name),
    },
    handlers: {
      'profiles.list': () => profiles.list(),
      'profiles.presets': () => structuredClone(PROFILE_PRESETS),
      'profiles.save': ({ profile }) => profiles.save(profile),
      'profiles.duplicate': ({ id }) => {
        const copy = profiles.duplicate(id);
        settings.copyScope(id, copy.id);
        return copy;
      },
      'profiles.delete': async ({ id }) => {
        profiles.delete(id);
        settings.removeScope(id);
        // After the profile is gone, so nothing can reopen its connection or store meanwhile.
        await deps.leftovers.forget(id);
      },
      'profiles.reorder': ({ ids }) => profiles.reorder(ids),
      'profiles.export': ({ ids, includeSecrets }) => ({ json: exportText(exportProfiles(ids, includeSecrets)) }),
      'profiles.import': ({ json }) => {
        const { entries, problems } = parseImport(json);
        return { imported: profiles.add(entries), problems };
      },
      'settings.get': ({ scope }) => settings.get(scope),
      'settings.set': ({ scope, key, value }) => settings.set(scope, key, value),
    },
    close: async () => settings.close(),
  };
}

/** The fields of a profile as an export carries them: no id, no secret flags. */
function withoutIdentity(view: ProfileView): ExportedProfile {
  const fields: Partial<ProfileView> = { ...view };
  delete fields.id;
  delete fields.secrets;
  return fields as ExportedProfile;
}
