import { createRequire } from 'node:module';
import { run } from 'vue-tsc';

/**
 * Type-checks the web app's `.vue` files (`npm test` runs this). vue-tsc drives TypeScript's
 * JavaScript compiler API, which the project's TypeScript 7 (native) no longer has, so it is
 * given the TypeScript 5.9 installed beside it as `typescript-vue`. Arguments pass on to tsc.
 */
run(createRequire(import.meta.url).resolve('typescript-vue/lib/tsc'));
