import { writeTransition } from '../../db/repositories/bookings.ts';
import { dropProposal, holdProposedTime, moveToProposedTime } from '../../db/repositories/booking-reschedules.ts';
import { otherParty } from '../../domain/bookings/reschedule.ts';
import { announce, bookingTaskDescription, loadFacts, sendEmails, type BookingActivityDeps } from './record-transition.ts';
import { rescheduleMessagesFor } from './reschedule-messages.ts';
import type { RescheduleStepInput } from './types.ts';

/**
 * Writes one step of a proposed new time in one transaction: the proposed slot held, the booking
 * moved to it, or the proposal dropped; then the event, the notifications and the live topics.
 * Emails go after commit: the one asking for an answer carries single-use accept / decline links.
 */
export function createRescheduleActivity(deps: BookingActivityDeps) {
  return async (input: RescheduleStepInput): Promise<boolean> => {
    const bookingId = Number(input.bookingId);
    const proposal = {
      from: new Date(input.currentStart),
      to: new Date(input.proposal.startsAt),
      proposedBy: input.proposal.proposedBy,
      respondBy: new Date(input.proposal.respondBy),
    };
    const done = await deps.db.transaction(async (trx) => {
      // A retry of a step already committed only re-sends its (idempotent) emails.
      const written = await trx('booking_events').where({ booking_id: bookingId, sequence: input.sequence }).first('id');
      if (!written) {
        if (input.step === 'reschedule_proposed') {
          const held = await holdProposedTime(trx, { bookingId, startsAt: proposal.to, endsAt: new Date(input.proposal.endsAt), proposedBy: proposal.proposedBy, respondBy: proposal.respondBy });
          if (!held) return null;
        } else if (input.step === 'reschedule_accepted') {
          await moveToProposedTime(trx, bookingId);
        } else {
          await dropProposal(trx, bookingId);
        }
        await writeTransition(trx, {
          bookingId,
          sequence: input.sequence,
          action: input.step,
          from: 'accepted',
          to: 'accepted',
          actorRole: input.actor.role,
          actorId: input.actor.userId === null ? null : Number(input.actor.userId),
          note: input.note,
          at: new Date(input.at),
        });
      }
      const facts = { ...(await loadFacts(trx, bookingId)), note: input.note };
      // The provider's card is due at the booking's new time, and says so.
      if (!written && input.step === 'reschedule_accepted') {
        await trx('tasks').where({ booking_id: bookingId }).update({ due_at: facts.startsAt, description: bookingTaskDescription(facts), updated_at: trx.fn.now() });
      }
      const messages = rescheduleMessagesFor(input.step, facts, proposal);
      if (!written) await announce(trx, { action: input.step, sequence: input.sequence, from: 'accepted', to: 'accepted', at: input.at }, facts, messages);
      return { facts, messages };
    });
    if (!done) return false;
    const { facts, messages } = done;
    const answerer = facts[otherParty(proposal.proposedBy)];
    await sendEmails(deps, facts, messages, input.sequence, (message) => {
      if (input.step !== 'reschedule_proposed' || message.userId !== answerer.id) return undefined;
      const subject = { bookingId, userId: answerer.id, party: otherParty(proposal.proposedBy), proposedStart: proposal.to.toISOString() };
      const links = deps.answerLinks(subject, proposal.respondBy);
      return `${message.body}\n\nAccept the new time: ${links.accept}\nDecline it: ${links.decline}`;
    });
    return true;
  };
}
