import { watch, type WatchSource } from 'vue';
import { useAction } from './useAction';

/**
 * Loads a page's data now and again whenever `source` changes (the organization, a filter,
 * the page number). `pending` and `problem` feed <LoadState>. A null source means "nothing
 * to load" (no organization any more): the view is about to go away. Like `watch`, it also
 * takes a reactive object (a page's filters) or an array of sources, watched deeply.
 */
export function useLoad(source: WatchSource | object, load: () => Promise<unknown>) {
  const { pending, problem, run } = useAction(load);
  watch(
    source,
    (value) => {
      if (value !== null) void run();
    },
    { immediate: true, deep: true },
  );
  return { pending, problem, reload: run };
}
