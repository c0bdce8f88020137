import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startEnv, id, type Env } from './harness.ts';

describe('embedded-temporal: basics', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  it('starts a workflow and returns its result', async () => {
    const result = await env.withWorker(() => env.client.workflow.execute('greet', { args: ['world'], taskQueue: env.taskQueue, workflowId: id('greet') }));
    expect(result).to.equal('Hello, world!');
  });
});
