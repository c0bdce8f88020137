import { ServiceError, WorkflowFailedError } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';

/**
 * The server's limits from its dynamic config. Against a real server (TEMPORAL_ADDRESS), start it
 * with the same values: `temporal server start-dev --dynamic-config-value limit.blobSize.error=1024
 * --dynamic-config-value limit.historyCount.suggestContinueAsNew=20`.
 */
const DYNAMIC_CONFIG = { 'limit.blobSize.error': 1024, 'limit.historyCount.suggestContinueAsNew': 20 };
const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;

describe('conformance: limits from the dynamic config', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv({ dynamicConfig: DYNAMIC_CONFIG })));
  after(async () => env?.stop());

  it('suggests continue-as-new once the history is longer than the configured count', async () => {
    const handle = await env.client.workflow.start('napsUntilContinueAsNewSuggested', { args: [50], taskQueue: env.taskQueue, workflowId: id('long') });
    const length = await env.withWorker(() => handle.result());
    expect(length).to.be.at.least(20).and.below(30);
  });

  it('refuses a start whose input is over the blob size limit', async () => {
    const error = await env.client.workflow.start('greet', { args: ['x'.repeat(2000)], taskQueue: env.taskQueue, workflowId: id('big') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ServiceError);
    expect(((error as ServiceError).cause as { code?: number }).code).to.equal(status.INVALID_ARGUMENT);
  });

  it('fails the workflow task and terminates the run when a command carries a payload over the limit', async () => {
    const handle = await env.client.workflow.start('echoesLarge', { args: [2000], taskQueue: env.taskQueue, workflowId: id('large') });
    const error = await env.withWorker(() => handle.result().catch((e: unknown) => e));
    expect(error).to.be.instanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).to.equal('TERMINATED');
    const { events } = await handle.fetchHistory();
    const failed = events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)?.workflowTaskFailedEventAttributes;
    expect(failed?.cause).to.equal(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
    expect(events!.some((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).to.equal(false);
  });
});
