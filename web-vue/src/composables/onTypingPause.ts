import { watch, type Ref } from 'vue';

/** Typing waits a moment before it counts: `apply` gets the trimmed text once the person pauses. */
export function onTypingPause(text: Ref<string>, apply: (text: string) => void, ms = 300): void {
  let typing: ReturnType<typeof setTimeout> | undefined;
  watch(text, (value) => {
    clearTimeout(typing);
    typing = setTimeout(() => apply(value.trim()), ms);
  });
}
