import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';

export default {
  plugins: [tailwindcss(), sveltekit()],
  cacheDir: process.env.TEMPORAL_UI_VITE_CACHE ?? 'node_modules/.vite',
  // The API is served by the same server as the UI: requests go to the page's own origin.
  define: { 'import.meta.env.VITE_API': JSON.stringify('') },
  logLevel: 'warn',
  build: { chunkSizeWarningLimit: 10_000 },
};
