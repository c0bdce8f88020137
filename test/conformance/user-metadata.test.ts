import { defaultPayloadConverter } from '@temporalio/common';
import type proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';

const summaryOf = (event: proto.temporal.api.history.v1.IHistoryEvent | undefined) =>
  event?.userMetadata?.summary ? defaultPayloadConverter.fromPayload(event.userMetadata.summary) : undefined;

describe('conformance: user metadata (summaries the Temporal UI shows)', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it("keeps a workflow's static summary and details, and the summaries of its timers and activities", async () => {
    const handle = await env.client.workflow.start('summarized', {
      taskQueue: env.taskQueue,
      workflowId: id('summarized'),
      staticSummary: 'Nap, then echo',
      staticDetails: 'Details of **the** run',
    });
    expect(await env.withWorker(() => handle.result())).to.equal('awake');
    const description = await handle.describe();
    expect(await description.staticSummary()).to.equal('Nap, then echo');
    expect(await description.staticDetails()).to.equal('Details of **the** run');
    const { events } = await handle.fetchHistory();
    expect(summaryOf(events![0])).to.equal('Nap, then echo');
    expect(summaryOf(events!.find((e) => e.timerStartedEventAttributes))).to.equal('a short nap');
    expect(summaryOf(events!.find((e) => e.activityTaskScheduledEventAttributes))).to.equal('says it back');
  });
});
