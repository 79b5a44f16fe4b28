import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ParamsOf } from '@common/api';
import { call } from '@renderer/services/api';

export type SettingValue = ParamsOf<'settings.set'>['value'];

/**
 * Settings by scope ('app', a connection id, ...), read synchronously from a cache that loads each
 * scope once. Reads before the load answer return the fallback, then update reactively.
 */
export const useSettingsStore = defineStore('settings', () => {
  /** Replaced on every change so computed readers re-run. */
  const scopes = shallowRef<Record<string, Record<string, unknown>>>({});
  const loads = new Map<string, Promise<void>>();

  function put(scope: string, values: Record<string, unknown>): void {
    scopes.value = { ...scopes.value, [scope]: { ...scopes.value[scope], ...values } };
  }

  function load(scope: string): Promise<void> {
    let pending = loads.get(scope);
    if (!pending) {
      pending = call('settings.get', { scope }).then(
        (stored) => {
          // Values set while the load was in flight win over what was on disk.
          scopes.value = { ...scopes.value, [scope]: { ...stored, ...scopes.value[scope] } };
        },
        () => {
          if (!scopes.value[scope]) put(scope, {});
        },
      );
      loads.set(scope, pending);
    }
    return pending;
  }

  function get<T>(scope: string, key: string, fallback: T): T {
    if (!loads.has(scope)) void load(scope);
    const value = scopes.value[scope]?.[key];
    return value === undefined ? fallback : (value as T);
  }

  async function set(scope: string, key: string, value: SettingValue): Promise<void> {
    put(scope, { [key]: value });
    try {
      await call('settings.set', { scope, key, value });
    } catch {
      // A setting that could not be written only costs the person their layout next launch.
    }
  }

  return { scopes, load, get, set };
});
