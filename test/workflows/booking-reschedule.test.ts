import { expect } from 'chai';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import type { BookingActivities, RescheduleStepInput } from '../../activities/bookings/types.ts';
import {
  acceptRescheduleUpdate,
  bookingStateQuery,
  cancelUpdate,
  confirmUpdate,
  declineRescheduleUpdate,
  proposeRescheduleUpdate,
  type BookingWorkflowInput,
} from '../../workflows/booking/definitions.ts';
import type { Actor } from '../../domain/bookings/lifecycle.ts';
import { timeSkippingEnv } from '../support/temporal.ts';
import { customer, HOUR, provider, startBookingWorkflow } from '../support/booking-workflow.ts';


/** The message of a refused update, or null when it went through. */
const refusal = (attempt: Promise<unknown>) =>
  attempt.then(
    () => null,
    (error: unknown) => {
      expect(error).to.be.instanceOf(WorkflowUpdateFailedError);
      return ((error as WorkflowUpdateFailedError).cause as Error).message;
    },
  );

describe('bookingWorkflow reschedule (time skipping)', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let steps: RescheduleStepInput[];
  let actions: string[];
  let reminders: number[];
  /** Starts (ISO) someone else holds: proposing them finds the slot taken, as the database would. */
  let taken: Set<string>;

  const activities: BookingActivities = {
    async recordBookingTransition(input) {
      actions.push(input.action);
    },
    async sendBookingReminder() {
      reminders.push(await env.currentTimeMs());
    },
    async recordRescheduleStep(input) {
      if (input.step === 'reschedule_proposed' && taken.has(input.proposal.startsAt)) return false;
      steps.push(input);
      actions.push(input.step);
      return true;
    },
  };

  before(async () => {
    [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  });
  after(() => env?.teardown());
  beforeEach(() => {
    steps = [];
    actions = [];
    reminders = [];
    taken = new Set();
  });

  /** An accepted booking starting in 72 hours (the service accepts at once), the provider answering within 24 hours. */
  async function withAcceptedBooking<T>(input: Partial<BookingWorkflowInput>, body: (handle: Awaited<ReturnType<typeof start>>, startsAt: number) => Promise<T>): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'reschedule-test', workflowBundle: bundle, activities });
    return worker.runUntil(async () => {
      const handle = await start(input);
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: customer }] });
      return body(handle, Date.parse((await handle.query(bookingStateQuery)).startsAt));
    });
  }

  // The service accepts at once: a confirmation leaves the booking accepted.
  const start = (input: Partial<BookingWorkflowInput>) => startBookingWorkflow(env, 'reschedule-test', { autoAccept: true, ...input });

  const at = (ms: number, slotOpen = true) => ({ startsAt: new Date(ms).toISOString(), endsAt: new Date(ms + HOUR).toISOString(), slotOpen });

  it('customer proposes, provider accepts: the booking moves, and is reminded a day before its new time', async () => {
    await withAcceptedBooking({}, async (handle, startsAt) => {
      const proposed = await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + 48 * HOUR) }] });
      expect(proposed.startsAt).to.equal(new Date(startsAt).toISOString());
      expect(proposed.reschedule).to.include({ proposedBy: 'customer', startsAt: new Date(startsAt + 48 * HOUR).toISOString() });
      // Within the provider's answer time (24 h): well before either start.
      const respondBy = Date.parse(proposed.reschedule!.respondBy);
      expect(respondBy - (await env.currentTimeMs())).to.be.within(24 * HOUR - 60_000, 24 * HOUR + 60_000);

      const accepted = await handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: provider }] });
      expect(accepted.startsAt).to.equal(new Date(startsAt + 48 * HOUR).toISOString());
      expect(accepted.reschedule).to.equal(null);
      expect(accepted.state).to.equal('accepted');

      // The old start's reminder (a day before it) does not come; the new one's does.
      await env.sleep('50 hours');
      expect(reminders).to.deep.equal([]);
      await env.sleep('48 hours');
      expect(reminders).to.have.length(1);
      expect(reminders[0]).to.be.within(startsAt + 24 * HOUR - 5 * 60_000, startsAt + 24 * HOUR + 5 * 60_000);
      await handle.terminate('test over');
    });
    expect(actions).to.deep.equal(['confirm', 'accept', 'reschedule_proposed', 'reschedule_accepted']);
    expect(steps.map((s) => s.sequence)).to.deep.equal([3, 4]);
    expect(steps[1]).to.deep.include({ actor: provider });
    expect(steps[1].currentStart).to.equal(steps[0].currentStart);
  });

  it('provider proposes, customer declines: the booking keeps its time', async () => {
    await withAcceptedBooking({}, async (handle, startsAt) => {
      await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: provider, ...at(startsAt - 24 * HOUR) }] });
      const declined = await handle.executeUpdate(declineRescheduleUpdate, { args: [{ actor: customer, note: 'I am away then' }] });
      expect(declined.startsAt).to.equal(new Date(startsAt).toISOString());
      expect(declined.reschedule).to.equal(null);
      await handle.terminate('test over');
    });
    expect(steps.map((s) => [s.step, s.actor.role, s.proposal.proposedBy])).to.deep.equal([
      ['reschedule_proposed', 'provider', 'provider'],
      ['reschedule_declined', 'customer', 'provider'],
    ]);
    expect(steps[1].note).to.equal('I am away then');
  });

  it('lets an unanswered proposal lapse at min(now + answer time, first start − 1 h), keeping the old time', async () => {
    // Two hours of answer time; the new time 4 hours ahead: the answer is due at 3 hours.
    await withAcceptedBooking({ responseSlaMinutes: 120 }, async (handle, startsAt) => {
      const now = await env.currentTimeMs();
      const proposed = await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(now + 4 * HOUR) }] });
      expect(Date.parse(proposed.reschedule!.respondBy) - now).to.be.within(2 * HOUR - 60_000, 2 * HOUR + 60_000);
      await env.sleep('1 hour');
      expect((await handle.query(bookingStateQuery)).reschedule).to.not.equal(null);
      await env.sleep('75 minutes');
      const state = await handle.query(bookingStateQuery);
      expect(state.reschedule).to.equal(null);
      expect(state.startsAt).to.equal(new Date(startsAt).toISOString());
      // Lapsed, it cannot be accepted any more.
      expect(await refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: provider }] }))).to.match(/No new time is waiting/);
      await handle.terminate('test over');
    });
    expect(steps.map((s) => [s.step, s.actor.role])).to.deep.equal([
      ['reschedule_proposed', 'customer'],
      ['reschedule_expired', 'system'],
    ]);
  });

  it('refuses what may not be proposed or answered, with the reason, and leaves no trace', async () => {
    await withAcceptedBooking({}, async (handle, startsAt) => {
      const propose = (actor: Actor, ms: number) => refusal(handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor, ...at(ms) }] }));
      expect(await propose({ role: 'customer', userId: '99' }, startsAt + HOUR)).to.match(/Only the booking’s customer or provider/);
      expect(await propose({ role: 'admin', userId: '1' }, startsAt + HOUR)).to.match(/Only the booking’s customer or provider/);
      expect(await propose(customer, startsAt)).to.match(/at this time already/);
      expect(await propose(customer, (await env.currentTimeMs()) - HOUR)).to.match(/has passed/);
      expect(await propose(provider, (await env.currentTimeMs()) + 30 * 60_000)).to.match(/too soon for the other side to answer/);
      expect(await refusal(handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + HOUR, false) }] }))).to.match(/not open: it is outside/);
      expect(await refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: provider }] }))).to.match(/No new time is waiting/);

      await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + 2 * HOUR) }] });
      expect(await propose(provider, startsAt + 3 * HOUR)).to.match(/already proposed/);
      expect(await refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: customer }] }))).to.match(/You proposed this time/);
      expect(await refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: { role: 'provider', userId: '98' } }] }))).to.match(/Only the booking’s provider can answer/);
      // An email link for another proposal than the pending one answers nothing.
      const stale = { actor: provider, proposedStart: new Date(startsAt + 5 * HOUR).toISOString() };
      expect(await refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [stale] }))).to.match(/no longer the one proposed/);

      const history = await handle.fetchHistory();
      expect(history.events!.filter((e) => e.workflowExecutionUpdateRejectedEventAttributes)).to.have.length(0);
      await handle.terminate('test over');
    });
    expect(actions).to.deep.equal(['confirm', 'accept', 'reschedule_proposed']);
  });

  it('refuses to propose a booking that is not accepted', async () => {
    await withAcceptedBooking({ autoAccept: false }, async (handle, startsAt) => {
      expect(await refusal(handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + HOUR) }] }))).to.match(
        /Only an accepted booking can be moved.*requested/,
      );
      await handle.terminate('test over');
    });
  });

  it('answers a proposal whose slot someone else holds with the reason, and nothing is pending after', async () => {
    await withAcceptedBooking({}, async (handle, startsAt) => {
      taken.add(new Date(startsAt + HOUR).toISOString());
      expect(await refusal(handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + HOUR) }] }))).to.match(/Someone else has just taken this time/);
      expect((await handle.query(bookingStateQuery)).reschedule).to.equal(null);
      const next = await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + 2 * HOUR) }] });
      expect(next.reschedule?.startsAt).to.equal(new Date(startsAt + 2 * HOUR).toISOString());
      await handle.terminate('test over');
    });
    expect(steps.map((s) => s.sequence)).to.deep.equal([4]);
  });

  it('a cancel while a proposal is pending frees both times: the proposal lapses no more', async () => {
    await withAcceptedBooking({}, async (handle, startsAt) => {
      await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: provider, ...at(startsAt + HOUR) }] });
      const canceled = await handle.executeUpdate(cancelUpdate, { args: [{ actor: customer }] });
      expect(canceled.state).to.equal('canceled');
      expect(canceled.reschedule).to.equal(null);
      expect((await handle.result()).state).to.equal('canceled');
    });
    expect(actions).to.deep.equal(['confirm', 'accept', 'reschedule_proposed', 'cancel']);
  });

  it('races an accept of the new time with a cancel: the cancel stands, the time is the one its winner left', async () => {
    for (let round = 0; round < 3; round += 1) {
      steps = [];
      actions = [];
      await withAcceptedBooking({}, async (handle, startsAt) => {
        await handle.executeUpdate(proposeRescheduleUpdate, { args: [{ actor: customer, ...at(startsAt + HOUR) }] });
        const [accept, cancel] = await Promise.all([
          refusal(handle.executeUpdate(acceptRescheduleUpdate, { args: [{ actor: provider }] })),
          refusal(handle.executeUpdate(cancelUpdate, { args: [{ actor: customer }] })),
        ]);
        const result = await handle.result();
        expect(cancel).to.equal(null);
        expect(result.state).to.equal('canceled');
        expect(result.reschedule).to.equal(null);
        if (accept === null) {
          // The accept went first: the booking moved, then was canceled at its new time.
          expect(actions.slice(2)).to.deep.equal(['reschedule_proposed', 'reschedule_accepted', 'cancel']);
          expect(result.startsAt).to.equal(new Date(startsAt + HOUR).toISOString());
        } else {
          // The cancel went first: nothing was waiting to be accepted any more.
          expect(accept).to.match(/No new time is waiting/);
          expect(actions.slice(2)).to.deep.equal(['reschedule_proposed', 'cancel']);
          expect(result.startsAt).to.equal(new Date(startsAt).toISOString());
        }
      });
    }
  });
});
