import type { Knex } from 'knex';
import type { Party } from '../../domain/bookings/reschedule.ts';
import { isExclusionViolation, NO_PROPOSAL } from './bookings.ts';

export interface ProposedTime {
  bookingId: number;
  startsAt: Date;
  endsAt: Date;
  proposedBy: Party;
  respondBy: Date;
}

/**
 * Holds the proposed time for an accepted booking, buffers included: the exclusion constraint
 * decides, as for any hold. False when the time is taken. Runs in a savepoint, so a refusal leaves
 * the caller's transaction usable.
 */
export async function holdProposedTime(trx: Knex.Transaction, proposal: ProposedTime): Promise<boolean> {
  try {
    return await trx.transaction(async (savepoint) => {
      const updated = await savepoint('bookings as b')
        .update({
          proposed_starts_at: proposal.startsAt,
          proposed_ends_at: proposal.endsAt,
          proposed_by: proposal.proposedBy,
          proposal_respond_by: proposal.respondBy,
          proposed_blocks: savepoint.raw(
            "tstzrange(?::timestamptz - make_interval(mins => s.buffer_before_minutes), ?::timestamptz + make_interval(mins => s.buffer_after_minutes), '[)')",
            [proposal.startsAt.toISOString(), proposal.endsAt.toISOString()],
          ),
        } as never)
        .updateFrom('services as s')
        .whereRaw('s.id = b.service_id')
        .where('b.id', proposal.bookingId)
        .where('b.state', 'accepted')
        .whereNull('b.proposed_blocks');
      return updated > 0;
    });
  } catch (error) {
    if (isExclusionViolation(error)) return false;
    throw error;
  }
}

/** The booking takes its proposed time; its old time is free again. */
export async function moveToProposedTime(trx: Knex.Transaction, bookingId: number): Promise<void> {
  await trx('bookings')
    .where({ id: bookingId })
    .whereNotNull('proposed_blocks')
    .update({ starts_at: trx.ref('proposed_starts_at'), ends_at: trx.ref('proposed_ends_at'), blocks: trx.ref('proposed_blocks'), ...NO_PROPOSAL } as never);
}

/** The proposal is declined or lapsed: its time is free again, the booking keeps its own. */
export async function dropProposal(trx: Knex.Transaction, bookingId: number): Promise<void> {
  await trx('bookings').where({ id: bookingId }).update(NO_PROPOSAL as never);
}
