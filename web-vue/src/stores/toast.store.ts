import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

const SHOW_FOR_MS = 4000;

/** Short confirmations after an action ("Invitation sent"); errors stay next to their form. */
export const useToastStore = defineStore('toast', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function show(text: string, kind: Toast['kind'] = 'success'): void {
    const id = nextId++;
    toasts.value.push({ id, kind, text });
    setTimeout(() => dismiss(id), SHOW_FOR_MS);
  }

  return { toasts, show, dismiss };
});
