// SvelteKit app around @temporalio/ui, the Temporal UI's own Svelte library, built by ../build.ts.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const out = process.env.TEMPORAL_UI_OUT ?? 'build';
const lib = '../../../node_modules/@temporalio/ui/dist';

/** @type {import('@sveltejs/kit').Config} */
export default {
  // The library ships its components with TypeScript still in their <script> blocks.
  preprocess: vitePreprocess({ script: true }),
  kit: {
    // A single-page app: every path that is not a file answers index.html, the router does the rest.
    adapter: adapter({ pages: out, assets: out, fallback: 'index.html', strict: false }),
    outDir: process.env.TEMPORAL_UI_KIT_DIR ?? '.svelte-kit',
    files: { lib },
    alias: { $types: `${lib}/types`, '$types/*': `${lib}/types/*`, $components: 'src/components' },
    prerender: { entries: [] },
  },
};
