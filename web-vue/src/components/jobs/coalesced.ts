/**
 * Calls `call` once, `ms` after the first of a burst of calls. Relay events come in bursts (an
 * execution starts, finishes, the job's streak changes), and a job firing every second never goes
 * quiet, so a plain debounce could wait forever: this answers within `ms` of the first event.
 */
export function coalesced(call: () => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule(): void {
      timer ??= setTimeout(() => {
        timer = undefined;
        call();
      }, ms);
    },
    cancel(): void {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
