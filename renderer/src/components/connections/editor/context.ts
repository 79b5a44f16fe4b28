import { inject, type ComputedRef, type InjectionKey } from 'vue';
import type { ProfileForm } from '../profileForm';
import type { FormCheck } from '../profileValidation';

/** What the profile editor hands its sections: the form being edited and its live checks. */
export interface EditorContext {
  form: ProfileForm;
  check: ComputedRef<FormCheck>;
  creating: ComputedRef<boolean>;
}

export const EDITOR_KEY: InjectionKey<EditorContext> = Symbol('profile-editor');

export function useEditor(): EditorContext & { error: (key: string) => string | undefined; warning: (key: string) => string | undefined } {
  const context = inject(EDITOR_KEY);
  if (!context) throw new Error('Profile editor sections must be inside ProfileEditor.');
  return {
    ...context,
    error: (key) => context.check.value.errors[key],
    warning: (key) => context.check.value.warnings[key],
  };
}
