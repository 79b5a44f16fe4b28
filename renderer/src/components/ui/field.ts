import { computed, inject, provide, type ComputedRef, type InjectionKey } from 'vue';

/** What a TgField tells the control inside it, so label, hint and error are wired for assistive tech. */
export interface FieldContext {
  id: string;
  describedBy: ComputedRef<string | undefined>;
  invalid: ComputedRef<boolean>;
}

export const FIELD_KEY: InjectionKey<FieldContext> = Symbol('tg-field');

let counter = 0;
export const nextFieldId = (): string => `tg-field-${++counter}`;

/** The enclosing field's wiring, or nothing when a control stands alone. */
export function useField(): { id: string | undefined; describedBy: ComputedRef<string | undefined>; invalid: ComputedRef<boolean> } {
  const field = inject(FIELD_KEY, null);
  return {
    id: field?.id,
    describedBy: field?.describedBy ?? computed(() => undefined),
    invalid: field?.invalid ?? computed(() => false),
  };
}

/** Detaches the controls of a composite editor from an enclosing field, so ids stay unique. */
export function detachField(): void {
  provide(FIELD_KEY, undefined as unknown as FieldContext);
}
