import { ActivityNotFoundError } from '@temporalio/client';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { eventually } from '../support/eventually.ts';
import { asyncTaskTokens } from './activities.ts';
import { startEnv, id, type Env } from './harness.ts';

/** A protobuf string field (wire type 2), as the real server's token message writes it. */
const stringField = (field: number, value: string) => {
  const bytes = Buffer.from(value);
  return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
};

describe('conformance: activity task tokens', function () {
  this.timeout(30_000);
  let env: Env;
  let namespaceId: string;
  before(async () => {
    env = await startEnv();
    const { namespaceInfo } = await env.connection.workflowService.describeNamespace({ namespace: 'default' });
    namespaceId = namespaceInfo!.id!;
  });
  after(async () => env?.stop());

  const startedAsyncActivity = async () => {
    const handle = await env.client.workflow.start('awaitsAsyncActivity', { taskQueue: env.taskQueue, workflowId: id('async') });
    const token = await eventually(() => asyncTaskTokens.get(handle.workflowId), 'the activity to start');
    return { handle, token };
  };

  it('completes an activity by its task token, then reports it gone with ActivityNotFoundError', async () => {
    await env.withWorker(async () => {
      const { handle, token } = await startedAsyncActivity();
      await env.client.activity.heartbeat(token, 'working');
      await env.client.activity.complete(token, 'done by token');
      expect(await handle.result()).to.equal('done by token');
      const afterwards = [
        env.client.activity.complete(token, 'again'),
        env.client.activity.fail(token, new Error('too late')),
        env.client.activity.heartbeat(token),
        env.client.activity.reportCancellation(token),
      ];
      for (const attempt of afterwards) expect(await attempt.catch((e: unknown) => e)).to.be.instanceOf(ActivityNotFoundError);
    });
  });

  it('issues tokens laid out as the real server does: the namespace id first, then workflow and run ids', async () => {
    await env.withWorker(async () => {
      const { handle, token } = await startedAsyncActivity();
      const bytes = Buffer.from(token);
      // The SDK's own tests rely on this layout: they patch bytes 2..38 of a real token.
      expect(bytes.subarray(0, 38)).to.deep.equal(stringField(1, namespaceId));
      expect(bytes.includes(stringField(2, handle.workflowId))).to.equal(true);
      const { runId } = await handle.describe();
      expect(bytes.includes(stringField(3, runId))).to.equal(true);
      await env.client.activity.complete(token, 'ok');
      await handle.result();
    });
  });

  it('answers a well-formed token of an activity that never existed with ActivityNotFoundError', async () => {
    // Built as the SDK's tests build theirs: a real server's token, with this namespace's id.
    const token = Buffer.concat([
      stringField(1, namespaceId),
      stringField(2, id('no-such-workflow')),
      stringField(3, '33fe12c8-be49-41a2-8abd-1765496ede9e'),
      Buffer.from([4 << 3, 5, 5 << 3, 1]),
      stringField(6, '1'),
      stringField(8, 'completeAsync'),
    ]);
    for (const attempt of [env.client.activity.complete(token, 'x'), env.client.activity.fail(token, new Error('x')), env.client.activity.heartbeat(token)]) {
      expect(await attempt.catch((e: unknown) => e)).to.be.instanceOf(ActivityNotFoundError);
    }
  });
});
