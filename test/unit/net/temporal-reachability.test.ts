import { expect } from 'chai';
import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { watchReachability } from '../../../api/temporal-monitor.ts';
import { isUnreachableError } from '../../../api/temporal.ts';
import { eventually } from '../../support/eventually.ts';

describe('knowing whether Temporal is reachable', () => {
  it('turns down when the probe fails or a call found the frontend gone, and tells each listener once when it answers again', async () => {
    let answers = true;
    const monitor = watchReachability(async () => answers, { everyMs: 10, deadlineMs: 10 });
    let recoveries = 0;
    const stopListening = monitor.onRecovered(() => void (recoveries += 1));
    try {
      expect(monitor.reachable()).to.equal(true);
      answers = false;
      await eventually(() => !monitor.reachable(), 'the probe to see it down');
      answers = true;
      await eventually(() => monitor.reachable(), 'the probe to see it back');
      expect(recoveries).to.equal(1);

      monitor.markUnreachable();
      expect(monitor.reachable()).to.equal(false);
      await eventually(() => recoveries === 2, 'a second recovery');
      stopListening();
      monitor.markUnreachable();
      await eventually(() => monitor.reachable(), 'the probe to see it back once more');
      expect(recoveries).to.equal(2);
    } finally {
      monitor.stop();
    }
  });

  it('tells a call that never reached the frontend from one the frontend refused', () => {
    // As the SDK throws them: its ServiceError around the gRPC status.
    const grpc = (code: number) => Object.assign(new Error(`status ${code}`), { code, details: '', metadata: {} });
    expect(isUnreachableError(new ServiceError('Failed to signalWithStart Workflow', { cause: grpc(14) }))).to.equal(true); // UNAVAILABLE
    expect(isUnreachableError(new ServiceError('Failed to describe workflow', { cause: grpc(4) }))).to.equal(true); // DEADLINE_EXCEEDED
    expect(isUnreachableError(new ServiceError('Failed to start Workflow', { cause: grpc(6) }))).to.equal(false); // ALREADY_EXISTS
    expect(isUnreachableError(new WorkflowNotFoundError('no such workflow', 'w', undefined))).to.equal(false);
    expect(isUnreachableError(new Error('boom'))).to.equal(false);
  });
});
