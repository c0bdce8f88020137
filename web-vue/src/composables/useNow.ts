import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/**
 * The current time as one shared ref, ticking every second while any component uses it, so
 * "3 seconds ago" becomes "4 seconds ago" on its own. One timer for the whole page, stopped when
 * nothing on screen needs it.
 */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export function useNow(): Ref<number> {
  onMounted(() => {
    users += 1;
    now.value = Date.now();
    timer ??= setInterval(() => (now.value = Date.now()), 1_000);
  });
  onBeforeUnmount(() => {
    users -= 1;
    if (users === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return now;
}
