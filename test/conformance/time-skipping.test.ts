import { Connection, type ConnectionOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { fromTimestamp } from '../../embedded-temporal/proto.ts';
import { runServer } from '../../embedded-temporal/server.ts';
import { createTimeSkippingEnv } from '../../embedded-temporal/testing.ts';
import * as activities from './activities.ts';
import { REAL_SERVER, id, workflowBundle } from './harness.ts';
import type { TimeSkippingActivities } from './workflows/time-skipping.ts';

describe('conformance: time skipping (createTimeSkipping on bin/temporal-test-server)', function () {
  this.timeout(30_000);
  let env: TestWorkflowEnvironment;
  before(function () {
    if (REAL_SERVER) this.skip(); // a dev server cannot skip time
  });
  before(async () => (env = await createTimeSkippingEnv()));
  after(async () => env?.teardown());

  const runs = new Map<string, number>();
  /** Activities that need the test environment: they sleep in test time or count their runs. */
  const testActivities: TimeSkippingActivities = {
    async sleepsInTestTime(duration) {
      const before = await env.currentTimeMs();
      await env.sleep(duration as Duration);
      return `slept ${Math.round(((await env.currentTimeMs()) - before) / 3_600_000)}h`;
    },
    async recordRun(key) {
      runs.set(key, (runs.get(key) ?? 0) + 1);
    },
    async recordRunSlowly(key) {
      await testActivities.recordRun(key);
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
  };

  const worker = async (taskQueue: string) =>
    Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: { ...activities, ...testActivities } });

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

  it('skips time while an activity sleeps in test time (env.sleep inside the activity)', async () => {
    const taskQueue = id('ts');
    const w = await worker(taskQueue);
    const startedAt = Date.now();
    const result = await w.runUntil(env.client.workflow.execute('activitySleepsTwoDays', { taskQueue, workflowId: id('activity-sleeps') }));
    expect(result).to.equal('slept 48h');
    expect(Date.now() - startedAt).to.be.lessThan(20_000);
  });

  it("a test's env.sleep begun while an activity runs waits for it, instead of skipping past its timeout", async () => {
    const taskQueue = id('ts');
    const key = id('slow');
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      const handle = await env.client.workflow.start('slowActivityThenTimer', { args: [key], taskQueue, workflowId: key });
      // The activity's effect is seen before its answer reaches the server, as a test sees a row it wrote.
      while (!runs.get(key)) await new Promise((resolve) => setTimeout(resolve, 20));
      await env.sleep('10 minutes');
      expect((await handle.describe()).status.name).to.equal('COMPLETED');
      expect(runs.get(key)).to.equal(2);
    });
  });

  it('env.sleep over 91 days over three workflows sees every activity their 30-day timers start on the way (none is jumped over)', async () => {
    const taskQueue = id('ts');
    const keys = [id('monthly'), id('monthly'), id('monthly')];
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      const handles = await Promise.all(keys.map((key) => env.client.workflow.start('monthlyActivities', { args: [key, 3], taskQueue, workflowId: key })));
      await env.sleep('91 days');
      expect(keys.map((key) => runs.get(key))).to.deep.equal([4, 4, 4]);
      for (const handle of handles) expect((await handle.describe()).status.name).to.equal('COMPLETED');
    });
  });

  it('a workflow started with cronSchedule runs at each cron time, the first one included', async () => {
    const taskQueue = id('ts');
    const key = id('cron');
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      const now = await env.currentTimeMs();
      const firstHour = Math.ceil((now + 1) / 3_600_000) * 3_600_000;
      const handle = await env.client.workflow.start('monthlyActivities', { args: [key, 0], taskQueue, workflowId: key, cronSchedule: '0 * * * *' });
      await env.sleep(firstHour - now - 60_000);
      expect(runs.get(key)).to.equal(undefined);
      await env.sleep(2 * 3_600_000 + 90_000); // to half past the hour after the third run
      expect(runs.get(key)).to.equal(3);
      await handle.terminate('enough');
    });
  });

  it('a test-time sleep beyond 2^31 ms (about 25 days) skips there without Node warning of a timeout overflow', async () => {
    // In this process, so that Node's warnings are seen: the server and a connection with the
    // test service, as createTimeSkipping makes one.
    const server = await runServer({ timeSkipping: true });
    const connection = await Connection.connect({ address: server.address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as ConnectionOptions);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const testService = connection.testService!;
      const before = fromTimestamp((await testService.getCurrentTime({})).time)!;
      await testService.unlockTimeSkippingWithSleep({ duration: msToTs('40 days') });
      const after = fromTimestamp((await testService.getCurrentTime({})).time)!;
      expect(after - before).to.be.at.least(40 * 24 * 3_600_000);
    } finally {
      process.off('warning', onWarning);
      await connection.close();
      await server.stop();
    }
    expect(warnings).to.not.include('TimeoutOverflowWarning');
  });
});
