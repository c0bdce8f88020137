import { Worker } from '@temporalio/worker';
import { defaultPayloadConverter, type VersioningBehavior } from '@temporalio/common';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { eventually } from '../support/eventually.ts';
import * as activities from './activities.ts';
import { startEnv, id, workflowBundle, type Env } from './harness.ts';
import { addSignal, doneSignal, totalQuery } from './workflows/index.ts';

const { EventType } = proto.temporal.api.enums.v1;

describe('conformance: worker deployments and versioning', function () {
  this.timeout(60_000);
  let env: Env;
  before(async () => (env = await startEnv()));
  after(async () => env?.stop());

  const namespace = 'default';
  const deploymentName = id('deployment');
  const versionedWorker = async (buildId: string, defaultVersioningBehavior: VersioningBehavior) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: env.taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
      shutdownGraceTime: '100ms',
      workerDeploymentOptions: { useWorkerVersioning: true, version: { deploymentName, buildId }, defaultVersioningBehavior },
    });
  const versionKnown = (buildId: string) =>
    eventually(async () => {
      const described = await env.connection.workflowService.describeWorkerDeployment({ namespace, deploymentName }).catch(() => undefined);
      return described?.workerDeploymentInfo?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === buildId);
    }, `version ${buildId} to be known`);
  const makeCurrent = (buildId: string) => env.connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId, identity: 'operator' });
  const completedBy = async (workflowId: string) => {
    const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId);
  };

  it('routes a pinned workflow to its version and new workflows to the current one; records versions and BuildIds', async () => {
    const v1 = await versionedWorker('v1', 'PINNED');
    const v2 = await versionedWorker('v2', 'AUTO_UPGRADE');
    const pinned = id('pinned');
    const upgraded = id('upgraded');
    await v1.runUntil(async () => {
      await versionKnown('v1');
      await makeCurrent('v1');
      const first = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: pinned });
      await first.signal(addSignal, 1);
      await eventually(async () => (await first.query(totalQuery)) === 1, 'the pinned workflow to run on v1');
      await v2.runUntil(async () => {
        await versionKnown('v2');
        const { previousDeploymentVersion } = await makeCurrent('v2');
        expect(previousDeploymentVersion?.buildId).to.equal('v1');
        const second = await env.client.workflow.start('accumulator', { taskQueue: env.taskQueue, workflowId: upgraded });
        await second.signal(addSignal, 2);
        await first.signal(addSignal, 3);
        await Promise.all([first.signal(doneSignal), second.signal(doneSignal)]);
        expect(await first.result()).to.equal(4);
        expect(await second.result()).to.equal(2);
      });
    });
    expect(new Set(await completedBy(pinned))).to.deep.equal(new Set(['v1']));
    expect(new Set(await completedBy(upgraded))).to.deep.equal(new Set(['v2']));
    const description = await env.client.workflow.getHandle(pinned).describe();
    expect(description.raw.workflowExecutionInfo?.versioningInfo?.behavior).to.equal(proto.temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    const buildIds = description.raw.workflowExecutionInfo?.searchAttributes?.indexedFields?.BuildIds;
    expect(defaultPayloadConverter.fromPayload(buildIds!)).to.deep.equal([`pinned:${deploymentName}:v1`, 'versioned:v1']);
    const { workerDeployments } = await env.connection.workflowService.listWorkerDeployments({ namespace });
    const listed = workerDeployments?.find((d) => d.name === deploymentName);
    expect(listed?.routingConfig?.currentDeploymentVersion?.buildId).to.equal('v2');
  });
});
