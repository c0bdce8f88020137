import { ref, watchEffect } from 'vue';

export type ThemeChoice = 'light' | 'dark' | 'system';
const THEME_KEY = 'pulseboard.theme';

/** The chosen theme; "system" leaves it to prefers-color-scheme (daisyUI's --prefersdark). */
export const theme = ref<ThemeChoice>((localStorage.getItem(THEME_KEY) as ThemeChoice | null) ?? 'system');

watchEffect(() => {
  localStorage.setItem(THEME_KEY, theme.value);
  if (theme.value === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme.value);
});
