import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ProfileInput, ProfilePreset, ProfileView } from '@common/model';
import { call, onEvent } from '@renderer/services/api';

/** Connection profiles as the engine keeps them (secrets only as "saved or not"). */
export const useProfilesStore = defineStore('profiles', () => {
  const profiles = shallowRef<ProfileView[]>([]);
  const presets = shallowRef<ProfilePreset[]>([]);
  const loaded = ref(false);
  /** Why the list could not be read, as the engine's sentence. */
  const loadError = ref<string | null>(null);
  const byId = computed(() => new Map(profiles.value.map((profile) => [profile.id, profile])));

  let listening = false;
  function listen(): void {
    if (listening) return;
    listening = true;
    onEvent('profiles.changed', (event) => {
      profiles.value = event.profiles;
      loaded.value = true;
    });
  }

  async function load(): Promise<void> {
    listen();
    try {
      profiles.value = await call('profiles.list', {});
      loadError.value = null;
    } catch (error) {
      loadError.value = (error as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  async function loadPresets(): Promise<ProfilePreset[]> {
    if (presets.value.length === 0) presets.value = await call('profiles.presets', {});
    return presets.value;
  }

  function replace(view: ProfileView): void {
    const index = profiles.value.findIndex((profile) => profile.id === view.id);
    profiles.value = index < 0 ? [...profiles.value, view] : profiles.value.map((profile, i) => (i === index ? view : profile));
  }

  async function save(profile: ProfileInput): Promise<ProfileView> {
    const view = await call('profiles.save', { profile });
    replace(view);
    return view;
  }

  async function duplicate(id: string): Promise<ProfileView> {
    const view = await call('profiles.duplicate', { id });
    replace(view);
    return view;
  }

  async function remove(id: string): Promise<void> {
    await call('profiles.delete', { id });
    profiles.value = profiles.value.filter((profile) => profile.id !== id);
  }

  async function reorder(ids: string[]): Promise<void> {
    const before = profiles.value;
    // Show the new order at once; the engine's answer (or a failure) settles it.
    const lookup = byId.value;
    profiles.value = ids.map((id) => lookup.get(id)).filter((profile): profile is ProfileView => !!profile);
    try {
      profiles.value = await call('profiles.reorder', { ids });
    } catch (error) {
      profiles.value = before;
      throw error;
    }
  }

  /** Moves one profile up (-1) or down (+1) in the list. */
  async function move(id: string, delta: number): Promise<void> {
    const ids = profiles.value.map((profile) => profile.id);
    const from = ids.indexOf(id);
    const to = Math.min(ids.length - 1, Math.max(0, from + delta));
    if (from < 0 || from === to) return;
    ids.splice(from, 1);
    ids.splice(to, 0, id);
    await reorder(ids);
  }

  async function exportJson(ids: string[], includeSecrets: boolean): Promise<string> {
    return (await call('profiles.export', { ids, includeSecrets })).json;
  }

  async function importJson(json: string): Promise<{ imported: ProfileView[]; problems: string[] }> {
    const result = await call('profiles.import', { json });
    await load();
    return result;
  }

  return { profiles, presets, loaded, loadError, byId, load, loadPresets, save, duplicate, remove, reorder, move, exportJson, importJson };
});
