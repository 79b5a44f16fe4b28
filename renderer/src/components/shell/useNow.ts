import { onScopeDispose, ref, watch, type Ref } from 'vue';

/** The current time, ticking every `intervalMs` while `active` is true (for countdowns). */
export function useNow(active: Ref<boolean>, intervalMs = 250): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  watch(
    active,
    (on) => {
      stop();
      now.value = Date.now();
      if (on) timer = setInterval(() => (now.value = Date.now()), intervalMs);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  return now;
}
