import { expect } from 'chai';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import type { BookingActivities, RecordTransitionInput } from '../../activities/bookings/types.ts';
import {
  acceptUpdate,
  bookingStateQuery,
  cancelUpdate,
  completeUpdate,
  confirmUpdate,
  declineUpdate,
  startUpdate,
  type BookingWorkflowInput,
} from '../../workflows/booking/definitions.ts';
import type { Actor } from '../../domain/bookings/lifecycle.ts';
import { timeSkippingEnv } from '../support/temporal.ts';
import { customer, HOUR, provider, startBookingWorkflow } from '../support/booking-workflow.ts';


describe('bookingWorkflow (time skipping)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let recorded: RecordTransitionInput[];
  let reminders: string[];

  const activities: BookingActivities = {
    async recordBookingTransition(input) {
      recorded.push(input);
    },
    async sendBookingReminder({ bookingId }) {
      reminders.push(bookingId);
    },
    async recordRescheduleStep() {
      return true;
    },
  };

  before(async () => {
    [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  });
  after(() => env?.teardown());
  beforeEach(() => {
    recorded = [];
    reminders = [];
  });

  async function run<T>(input: Partial<BookingWorkflowInput>, body: (handle: Awaited<ReturnType<typeof start>>) => Promise<T>): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'bookings-test', workflowBundle: bundle, activities });
    return worker.runUntil(async () => body(await start(input)));
  }

  const start = (input: Partial<BookingWorkflowInput>) => startBookingWorkflow(env, 'bookings-test', input);

  it('expires a hold that is not confirmed in time and records it', async () => {
    const result = await run({}, async (handle) => {
      await env.sleep('11 minutes');
      return handle.result();
    });
    expect(result.state).to.equal('expired');
    expect(recorded.map((r) => [r.action, r.from, r.to, r.actor.role])).to.deep.equal([['expire', 'held', 'expired', 'system']]);
  });

  it('walks confirm, accept, start and complete, each answered with the new state', async () => {
    // Two hours ahead: time for the provider to answer; then the clock moves to within 30 minutes of the start.
    const later = (await env.currentTimeMs()) + 2 * HOUR;
    const result = await run({ startsAt: new Date(later).toISOString(), endsAt: new Date(later + HOUR).toISOString() }, async (handle) => {
      expect((await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer, note: 'Ring twice' }] })).state).to.equal('requested');
      expect((await handle.executeUpdate(acceptUpdate, { args: [{ actor: provider }] })).state).to.equal('accepted');
      await env.sleep('100 minutes');
      expect((await handle.executeUpdate(startUpdate, { args: [{ actor: provider }] })).state).to.equal('in_progress');
      expect((await handle.executeUpdate(completeUpdate, { args: [{ actor: provider }] })).state).to.equal('completed');
      return handle.result();
    });
    expect(result.transitions.map((t) => t.to)).to.deep.equal(['requested', 'accepted', 'in_progress', 'completed']);
    expect(recorded.map((r) => r.sequence)).to.deep.equal([1, 2, 3, 4]);
    expect(recorded[0]).to.include({ note: 'Ring twice' });
    expect(recorded[0].respondBy).to.be.a('string');
  });

  it('declines a request the provider leaves unanswered past the SLA', async () => {
    const result = await run({ responseSlaMinutes: 120 }, async (handle) => {
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      const state = await handle.query(bookingStateQuery);
      expect(state.respondBy).to.be.a('string');
      await env.sleep('3 hours');
      return handle.result();
    });
    expect(result.state).to.equal('declined');
    expect(recorded.at(-1)).to.include({ action: 'auto_decline', actor: recorded.at(-1)!.actor });
    expect(recorded.at(-1)!.actor.role).to.equal('system');
  });

  it('asks for the answer an hour before the start when the answer time would run past it', async () => {
    const startsIn = 15 * HOUR;
    await run({ startsAt: new Date((await env.currentTimeMs()) + startsIn).toISOString(), responseSlaMinutes: 24 * 60 }, async (handle) => {
      const confirmed = await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      const startsAt = Date.parse((await handle.query(bookingStateQuery)).holdExpiresAt) - 10 * 60_000 + startsIn;
      expect(startsAt - Date.parse(confirmed.respondBy!)).to.be.within(HOUR - 60_000, HOUR + 60_000);
      await handle.terminate('test over');
    });
  });

  it('accepts at once where the service says so: the confirmation answers accepted, with nothing to answer', async () => {
    await run({ autoAccept: true }, async (handle) => {
      const confirmed = await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      expect(confirmed.state).to.equal('accepted');
      expect(confirmed.respondBy).to.equal(null);
      await handle.terminate('test over');
    });
    expect(recorded.map((r) => [r.action, r.to, r.actor.role])).to.deep.equal([['confirm', 'requested', 'customer'], ['accept', 'accepted', 'system']]);
  });

  it('sends a reminder 24 hours before an accepted booking starts', async () => {
    await run({}, async (handle) => {
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: provider }] });
      await env.sleep('47 hours');
      expect(reminders).to.deep.equal([]);
      await env.sleep('2 hours');
      expect(reminders).to.have.length(1);
      await handle.executeUpdate(cancelUpdate, { args: [{ actor: customer, note: 'Plans changed' }] });
      expect((await handle.result()).state).to.equal('canceled');
    });
    expect(recorded.at(-1)).to.include({ action: 'cancel', late: true });
  });

  it('rejects every illegal transition with the reason and leaves no trace', async () => {
    const stranger: Actor = { role: 'customer', userId: '99' };
    await run({}, async (handle) => {
      const refusals: Array<[() => Promise<unknown>, RegExp]> = [
        [() => handle.executeUpdate(acceptUpdate, { args: [{ actor: provider }] }), /held cannot be accepted/],
        [() => handle.executeUpdate(startUpdate, { args: [{ actor: provider }] }), /held cannot be started/],
        [() => handle.executeUpdate(completeUpdate, { args: [{ actor: provider }] }), /held cannot be completed/],
        [() => handle.executeUpdate(declineUpdate, { args: [{ actor: provider }] }), /held cannot be declined/],
        [() => handle.executeUpdate(confirmUpdate, { args: [{ actor: stranger }] }), /Only the customer who holds the slot/],
        [() => handle.executeUpdate(confirmUpdate, { args: [{ actor: provider }] }), /Only the customer who holds the slot/],
      ];
      for (const [attempt, reason] of refusals) {
        const error = await attempt().then(() => null, (e: unknown) => e);
        expect(error).to.be.instanceOf(WorkflowUpdateFailedError);
        expect(((error as WorkflowUpdateFailedError).cause as Error).message).to.match(reason);
      }
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      const again = await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] }).then(() => null, (e: unknown) => e);
      expect(((again as WorkflowUpdateFailedError).cause as Error).message).to.match(/requested cannot be confirmed/);
      const early = await handle.executeUpdate(acceptUpdate, { args: [{ actor: provider }] }).then(() => handle.executeUpdate(startUpdate, { args: [{ actor: provider }] })).then(() => null, (e: unknown) => e);
      expect(((early as WorkflowUpdateFailedError).cause as Error).message).to.match(/at most 30 minutes before/);
      await handle.executeUpdate(cancelUpdate, { args: [{ actor: provider }] });
      const history = await handle.fetchHistory();
      const rejectedEvents = history.events!.filter((e) => e.workflowExecutionUpdateRejectedEventAttributes);
      expect(rejectedEvents).to.have.length(0);
    });
    expect(recorded.map((r) => r.action)).to.deep.equal(['confirm', 'accept', 'cancel']);
  });
});
