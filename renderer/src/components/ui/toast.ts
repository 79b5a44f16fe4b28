import { shallowRef } from 'vue';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

/** Visible toasts, newest last; TgToasts (mounted once in App.vue) renders them. */
export const toasts = shallowRef<Toast[]>([]);

let nextId = 1;
const MAX_VISIBLE = 5;

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id);
}

/**
 * Shows a short message. Errors stay until dismissed unless a timeout is given, since they carry
 * the sentence the person needs to act on.
 */
export function notify(options: { kind: ToastKind; message: string; timeoutMs?: number }): number {
  const id = nextId++;
  // The same sentence twice in a row (a reconnect loop) replaces the older one rather than stacking.
  const rest = toasts.value.filter((toast) => toast.message !== options.message);
  toasts.value = [...rest, { id, kind: options.kind, message: options.message }].slice(-MAX_VISIBLE);
  const timeout = options.timeoutMs ?? (options.kind === 'error' ? 12_000 : 4_000);
  if (timeout > 0) setTimeout(() => dismissToast(id), timeout);
  return id;
}
