import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflows } from '../workers/worker.ts';
import { installQuietRuntime } from '../runtime/temporal-runtime.ts';
import { historyToJson, recordActorHistories, recordingEnv } from '../test/workflows/histories/scenarios.ts';

/**
 * `npx tsx scripts/record-histories.ts`: runs each actor's scenario on embedded-temporal and writes its
 * history to test/workflows/histories/<name>.json, which test/workflows/replay.test.ts replays against
 * later code. Record again when a change to a workflow is meant to be incompatible (and versioned).
 */
const DIR = fileURLToPath(new URL('../test/workflows/histories/', import.meta.url));

installQuietRuntime();
const [env, bundle] = await Promise.all([recordingEnv(), bundleWorkflows({ outcomeMetrics: true })]);
try {
  for (const { name, history } of await recordActorHistories(env, bundle)) {
    await writeFile(`${DIR}${name}.json`, historyToJson(history));
    console.log(`recorded ${name}: ${history.events?.length ?? 0} events`);
  }
} finally {
  await env.teardown();
}
