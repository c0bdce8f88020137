import { sleep } from '@temporalio/workflow';

/** The least an actor can do at its deadline: sleep until `at` (ms since the epoch), wake, end. Answers how late it woke, ms. */
export async function wakesAt(at: number): Promise<number> {
  await sleep(Math.max(1, at - Date.now()));
  return Date.now() - at;
}
