import { createRequire } from 'node:module';
import { run } from 'vue-tsc';

/**
 * Type-checks the web app's `.vue` files (`npm test` runs this). vue-tsc drives TypeScript's
 * JavaScript compiler API, which the project's TypeScript 7 (native) no longer has, so it is
 * given the TypeScript 5.9 installed beside it as `typescript-vue`. Arguments pass on to tsc.
 * vue-tsc stays on 3.2: 3.3's template code relies on TypeScript 7's narrowing in closures, and on
 * 5.9 reports a `v-if`-guarded ref as possibly null inside every slot.
 */
run(createRequire(import.meta.url).resolve('typescript-vue/lib/tsc'));
