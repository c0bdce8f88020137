// The UI's Tailwind theme: its plugin by relative path (the package exports no theme entry that
// Tailwind's loader finds), fonts as the UI sets them, dark mode on [data-theme="dark"].
import temporal, { textStyles } from '../../../node_modules/@temporalio/ui/dist/theme/plugin.js';

export default {
  darkMode: ['selector', '[data-theme="dark"]'],
  theme: {
    extend: {
      fontFamily: {
        sans: ['Inter Variable', 'Inter', 'ui-sans-serif', 'system-ui', 'sans-serif'],
        mono: ['Noto Sans Mono', 'ui-monospace', 'monospace'],
      },
      animation: { 'spin-slow': 'spin 3s linear infinite' },
      zIndex: { 100: '100' },
    },
  },
  plugins: [temporal, textStyles],
};
