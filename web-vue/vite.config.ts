import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import tailwindcss from '@tailwindcss/vite';

// The root package.json builds from the repository root, so paths are pinned to this folder.
const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.PULSEBOARD_API ?? 'http://127.0.0.1:3000';

/**
 * vuedraggable ships a webpack bundle that finds the global object with `Function('return this')()`,
 * which the API's Content-Security-Policy (no 'unsafe-eval') reports as a violation on every board
 * view. `globalThis` is the same object in every browser we support.
 */
function globalThisForVuedraggable(): Plugin {
  return {
    name: 'global-this-for-vuedraggable',
    transform(code, id) {
      if (!id.includes('/node_modules/vuedraggable/')) return null;
      return { code: code.replace(/Function\((['"])return this\1\)\(\)/g, 'globalThis'), map: null };
    },
  };
}

export default defineConfig({
  root,
  plugins: [vue(), tailwindcss(), globalThisForVuedraggable()],
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
