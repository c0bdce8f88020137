import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { createTimeSkippingEnv } from '../../embedded-temporal/testing.ts';
import * as activities from './activities.ts';
import { REAL_SERVER, id, workflowBundle } from './harness.ts';

describe('conformance: time skipping (createTimeSkipping on bin/temporal-test-server)', function () {
  this.timeout(30_000);
  let env: TestWorkflowEnvironment;
  before(function () {
    if (REAL_SERVER) this.skip(); // a dev server cannot skip time
  });
  before(async () => (env = await createTimeSkippingEnv()));
  after(async () => env?.teardown());

  const worker = async (taskQueue: string) =>
    Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });

  it('completes a workflow sleeping 10 minutes in well under a second of waiting', async () => {
    const taskQueue = id('ts');
    const w = await worker(taskQueue);
    const startedAt = Date.now();
    const serverStart = await env.currentTimeMs();
    const result = await w.runUntil(env.client.workflow.execute('sleeper', { args: [10 * 60_000], taskQueue, workflowId: id('sleeper') }));
    expect(result).to.equal('woke');
    expect(Date.now() - startedAt).to.be.lessThan(5_000);
    expect((await env.currentTimeMs()) - serverStart).to.be.at.least(10 * 60_000);
  });

  it('env.sleep advances server time past a timer', async () => {
    const taskQueue = id('ts');
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      const handle = await env.client.workflow.start('sleeper', { args: [60 * 60_000], taskQueue, workflowId: id('sleeper') });
      await env.sleep(30 * 60_000);
      expect((await handle.describe()).status.name).to.equal('RUNNING');
      await env.sleep(31 * 60_000);
      expect((await handle.describe()).status.name).to.equal('COMPLETED');
    });
  });
});
