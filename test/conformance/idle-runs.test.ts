import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';
import { addSignal, doneSignal, setValueUpdate, totalQuery } from './workflows/index.ts';

/** Longer than embedded-temporal keeps an open run with nothing to do in memory (2 s, then a sweep). */
const IDLE_MS = 4_000;

/**
 * Runs that wait (on a timer, or for a message) long enough to leave the embedded server's memory
 * behave as runs that stayed: each is read back when a message comes or its timer is due, and
 * messages that reach it at once are all applied to the one copy.
 */
describe('conformance: runs idle long enough to leave memory', function () {
  this.timeout(60_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('a waiting run takes a burst of signals, an update and a query; a sleeping one wakes on time', async () => {
    const summing = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: id('idle-sum') });
    const entity = await env.client.workflow.start('entity', { args: [1], taskQueue: env.taskQueue, workflowId: id('idle-entity') });
    await env.withWorker(async () => {
      const sleeping = await env.client.workflow.start('sleeper', { args: [IDLE_MS + 2_000], taskQueue: env.taskQueue, workflowId: id('idle-sleeper') });
      const startedAt = Date.now();
      await new Promise((r) => setTimeout(r, IDLE_MS));
      await Promise.all(Array.from({ length: 20 }, (_, i) => summing.signal(addSignal, i + 1)));
      expect(await summing.query(totalQuery)).to.equal(210);
      expect(await entity.executeUpdate(setValueUpdate, { args: [7] })).to.equal(1);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      expect(await entity.query(totalQuery)).to.equal(7);
      expect(await sleeping.result()).to.equal('woke');
      expect(Date.now() - startedAt).to.be.at.least(IDLE_MS + 2_000);
      await Promise.all([summing.signal(doneSignal), entity.signal(doneSignal)]);
      expect(await Promise.all([summing.result(), entity.result()])).to.deep.equal([210, 7]);
    });
  });
});
