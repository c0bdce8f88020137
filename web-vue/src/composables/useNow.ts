import { onBeforeUnmount, ref, type Ref } from 'vue';

/** The time now in ms, refreshed every `everyMs`, so what a page allows changes when its time comes. */
export function useNow(everyMs = 15_000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
