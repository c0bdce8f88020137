import { createRequire } from 'node:module';
import { run } from 'vue-tsc';

/**
 * Type-checks the web app's `.vue` files (`npm test` runs this). vue-tsc drives TypeScript's
 * JavaScript compiler API, which the project's TypeScript 7 (native) no longer has, so it is
 * given the TypeScript 5.9 installed beside it as `typescript-vue`. Arguments pass on to tsc.
 * vue-tsc stays on 3.2: the template code of 3.3, checked by TypeScript 5.9, loses the narrowing of
 * a `v-if` inside slots (a guarded ref "possibly null") and reads `.value` on plain objects.
 */
run(createRequire(import.meta.url).resolve('typescript-vue/lib/tsc'));
