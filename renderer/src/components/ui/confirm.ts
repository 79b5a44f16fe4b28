import { shallowRef } from 'vue';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel?: string;
  danger?: boolean;
  resolve: (confirmed: boolean) => void;
}

/** The question being asked; TgConfirm (mounted once in App.vue) shows it. */
export const pendingConfirm = shallowRef<ConfirmRequest | null>(null);

/** Asks the person to confirm an action; resolves false when they cancel or close. */
export function confirmAction(options: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  pendingConfirm.value?.resolve(false);
  return new Promise((resolve) => {
    pendingConfirm.value = { ...options, resolve };
  });
}

export function answerConfirm(confirmed: boolean): void {
  const request = pendingConfirm.value;
  pendingConfirm.value = null;
  request?.resolve(confirmed);
}
