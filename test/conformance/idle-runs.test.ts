import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';
import { addSignal, doneSignal, setValueUpdate, totalQuery } from './workflows/index.ts';

/** Longer than embedded-temporal keeps an open run with nothing to do in memory (10 s, then a sweep each second). */
const IDLE_MS = 12_000;

/**
 * Runs that wait for a message long enough to leave the embedded server's memory behave as runs
 * that stayed: each is read back when a message comes, and messages that reach it at once are
 * all applied to the one copy. (Timers of runs not in memory: test/workflows/booking-restart.test.ts.)
 */
describe('conformance: runs idle long enough to leave memory', function () {
  this.timeout(90_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('a waiting run takes a burst of signals, an update and a query', async () => {
    const summing = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: id('idle-sum') });
    const entity = await env.client.workflow.start('entity', { args: [1], taskQueue: env.taskQueue, workflowId: id('idle-entity') });
    await env.withWorker(async () => {
      await new Promise((r) => setTimeout(r, IDLE_MS));
      await Promise.all(Array.from({ length: 20 }, (_, i) => summing.signal(addSignal, i + 1)));
      expect(await summing.query(totalQuery)).to.equal(210);
      expect(await entity.executeUpdate(setValueUpdate, { args: [7] })).to.equal(1);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      expect(await entity.query(totalQuery)).to.equal(7);
      await Promise.all([summing.signal(doneSignal), entity.signal(doneSignal)]);
      expect(await Promise.all([summing.result(), entity.result()])).to.deep.equal([210, 7]);
    });
  });
});
