import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import tailwindcss from '@tailwindcss/vite';

// The root package.json builds from the repository root, so paths are pinned to this folder.
const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.PULSEBOARD_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [vue(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // A slow plugin is not the reader's problem at npm start: builds say nothing unless they fail.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/ws': { target: apiTarget, ws: true },
    },
  },
});
