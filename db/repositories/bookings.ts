import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { freeCancellationEndsAt, TERMINAL_STATES, workStartOpensAt, type BookingState } from '../../domain/bookings/lifecycle.ts';
import type { BookingView } from '../../domain/bookings/views.ts';

export interface BookingRow {
  id: number;
  service_id: number;
  provider_id: number;
  customer_id: number;
  starts_at: Date;
  ends_at: Date;
  state: BookingState;
  hold_expires_at: Date;
  respond_by: Date | null;
  price_minor: number;
  currency: string;
  customer_notes: string;
  closing_note: string | null;
  late_cancellation: boolean;
  customer_timezone: string | null;
  proposed_starts_at: Date | null;
  proposed_ends_at: Date | null;
  proposed_by: 'customer' | 'provider' | null;
  proposal_respond_by: Date | null;
  last_sequence: number;
  created_at: Date;
  updated_at: Date;
}

export interface NewHold {
  serviceId: number;
  providerId: number;
  customerId: number;
  startsAt: Date;
  endsAt: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  holdExpiresAt: Date;
  priceMinor: number;
  currency: string;
  /** The zone the customer's messages are written in; the provider's when unknown. */
  customerTimezone?: string;
}

const EXCLUSION_VIOLATION = '23P01';

/** The columns of a pending reschedule proposal, cleared. */
export const NO_PROPOSAL = { proposed_starts_at: null, proposed_ends_at: null, proposed_blocks: null, proposed_by: null, proposal_respond_by: null } as const;

/** The exclusion constraint refused a write: the provider's time is taken. */
export const isExclusionViolation = (error: unknown) => (error as { code?: string }).code === EXCLUSION_VIOLATION;

/** Inserts a hold; undefined when the provider's time is taken (the exclusion constraint said no). */
export async function insertHold(db: Db | Knex.Transaction, hold: NewHold): Promise<BookingRow | undefined> {
  try {
    const [row] = await db<BookingRow>('bookings')
      .insert({
        service_id: hold.serviceId,
        provider_id: hold.providerId,
        customer_id: hold.customerId,
        starts_at: hold.startsAt,
        ends_at: hold.endsAt,
        blocks: blocksOf(db, hold),
        state: 'held',
        hold_expires_at: hold.holdExpiresAt,
        price_minor: hold.priceMinor,
        currency: hold.currency,
        customer_timezone: hold.customerTimezone ?? null,
      } as never)
      .returning('*');
    return row;
  } catch (error) {
    if (isExclusionViolation(error)) return undefined;
    throw error;
  }
}

/** The provider's time a booking takes: its own, widened by the service's buffers. */
function blocksOf(db: Db | Knex.Transaction, hold: NewHold): Knex.Raw {
  return db.raw("tstzrange(?::timestamptz - make_interval(mins => ?), ?::timestamptz + make_interval(mins => ?), '[)')", [
    hold.startsAt.toISOString(),
    hold.bufferBeforeMinutes,
    hold.endsAt.toISOString(),
    hold.bufferAfterMinutes,
  ]);
}

/** Holds of the provider, past their expiry yet still held, that overlap the time `hold` would take. */
export async function findExpiredHoldsInTheWay(db: Db, hold: NewHold, now: Date): Promise<number[]> {
  const rows = await db('bookings')
    .where({ provider_id: hold.providerId, state: 'held' })
    .where('hold_expires_at', '<', now)
    .whereRaw('blocks && ?', [blocksOf(db, hold)])
    .select('id');
  return rows.map((r: { id: string | number }) => Number(r.id));
}

/**
 * Expires a hold that has no actor to do it (see holdSlot), with its audit event. False when it
 * is no longer an expired hold.
 */
export async function expireOrphanedHold(db: Db, id: number, at: Date): Promise<boolean> {
  return db.transaction(async (trx) => {
    const row = await trx('bookings').where({ id, state: 'held' }).where('hold_expires_at', '<', at).forUpdate().first('last_sequence');
    if (!row) return false;
    const record = { bookingId: id, sequence: row.last_sequence + 1, action: 'expire', from: 'held', to: 'expired', actorRole: 'system', actorId: null, at } as const;
    return writeTransition(trx, record);
  });
}

export async function deleteBooking(db: Db, id: number): Promise<void> {
  await db('bookings').where({ id }).delete();
}

export async function findBooking(db: Db | Knex.Transaction, id: number): Promise<BookingRow | undefined> {
  return db<BookingRow>('bookings').where({ id }).first();
}

function viewQuery(db: Db) {
  return db('bookings as b')
    .join('services as s', 's.id', 'b.service_id')
    .join('users as p', 'p.id', 'b.provider_id')
    .join('provider_profiles as pp', 'pp.user_id', 'b.provider_id')
    .join('users as c', 'c.id', 'b.customer_id')
    .leftJoin('booking_ratings as r', 'r.booking_id', 'b.id')
    .select(
      'b.*',
      's.title as service_title',
      'p.name as provider_name',
      'pp.timezone as provider_timezone',
      'c.name as customer_name',
      'r.score as rating_score',
      'r.comment as rating_comment',
    );
}

type ViewRow = BookingRow & {
  service_title: string;
  provider_name: string;
  provider_timezone: string;
  customer_name: string;
  rating_score: number | null;
  rating_comment: string | null;
};

function toView(row: ViewRow): BookingView {
  return {
    id: row.id,
    state: row.state,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    holdExpiresAt: row.hold_expires_at.toISOString(),
    respondBy: row.respond_by?.toISOString() ?? null,
    price: { amountMinor: row.price_minor, currency: row.currency.trim() },
    customerNotes: row.customer_notes,
    closingNote: row.closing_note,
    lateCancellation: row.late_cancellation,
    lateCancellationFrom: freeCancellationEndsAt(row.starts_at).toISOString(),
    startOpensAt: workStartOpensAt(row.starts_at).toISOString(),
    service: { id: row.service_id, title: row.service_title },
    provider: { id: row.provider_id, name: row.provider_name, timezone: row.provider_timezone },
    customer: { id: row.customer_id, name: row.customer_name, timezone: row.customer_timezone ?? row.provider_timezone },
    reschedule:
      row.proposed_starts_at && row.proposed_ends_at && row.proposed_by && row.proposal_respond_by
        ? { startsAt: row.proposed_starts_at.toISOString(), endsAt: row.proposed_ends_at.toISOString(), proposedBy: row.proposed_by, respondBy: row.proposal_respond_by.toISOString() }
        : null,
    rating: row.rating_score === null ? null : { score: row.rating_score, comment: row.rating_comment ?? '' },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The view of a hold just inserted, from what its inserter knows already: no second read. */
export function newHoldView(row: BookingRow, names: { serviceTitle: string; providerName: string; providerTimezone: string; customerName: string }): BookingView {
  return toView({
    ...row,
    service_title: names.serviceTitle,
    provider_name: names.providerName,
    provider_timezone: names.providerTimezone,
    customer_name: names.customerName,
    rating_score: null,
    rating_comment: null,
  });
}

export async function findBookingView(db: Db, id: number): Promise<BookingView | undefined> {
  const row = (await viewQuery(db).where('b.id', id).first()) as ViewRow | undefined;
  return row && toView(row);
}

export interface BookingListQuery {
  as: 'customer' | 'provider';
  userId: number;
  states?: BookingState[];
  page: number;
  pageSize: number;
}

export async function listBookings(db: Db, query: BookingListQuery): Promise<{ items: BookingView[]; total: number }> {
  const column = query.as === 'customer' ? 'b.customer_id' : 'b.provider_id';
  const base = viewQuery(db).where(column, query.userId).modify((q) => {
    if (query.states?.length) q.whereIn('b.state', query.states);
  });
  const [{ count }] = await db.from(base.clone().as('x')).count<{ count: string }[]>('* as count');
  const rows = (await base.orderBy('b.starts_at', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize)) as ViewRow[];
  return { items: rows.map(toView), total: Number(count) };
}

export interface TransitionRecord {
  bookingId: number;
  sequence: number;
  action: string;
  from: BookingState;
  to: BookingState;
  actorRole: string;
  actorId: number | null;
  note?: string;
  late?: boolean;
  at: Date;
  respondBy?: Date | null;
}

/**
 * Writes one transition and its audit event; false when this sequence was written before
 * (a retried activity), so the caller skips the side effects that already happened.
 */
export async function writeTransition(trx: Knex.Transaction, record: TransitionRecord): Promise<boolean> {
  const inserted = trx('booking_events')
    .insert({
      booking_id: record.bookingId,
      sequence: record.sequence,
      action: record.action,
      from_state: record.from,
      to_state: record.to,
      actor_role: record.actorRole,
      actor_id: record.actorId,
      note: record.note ?? null,
      at: record.at,
    })
    .onConflict(['booking_id', 'sequence'])
    .ignore()
    .returning('id');
  const patch: Record<string, unknown> = { state: record.to, last_sequence: record.sequence, updated_at: record.at };
  if (record.action === 'confirm' && record.note) patch.customer_notes = record.note;
  // Only a booking's end has a reason to show: the notes of steps on the way (the system accepting
  // at once, a declined new time) stay in the booking's event log.
  if (record.action !== 'confirm' && record.note && TERMINAL_STATES.has(record.to)) patch.closing_note = record.note;
  if (record.late) patch.late_cancellation = true;
  if (record.respondBy !== undefined) patch.respond_by = record.respondBy;
  // A booking that leaves `accepted` (canceled, started) leaves any proposed time with it: both slots are free.
  if (record.to !== 'accepted') Object.assign(patch, NO_PROPOSAL);
  // One round trip: the booking changes only with its step's first write (a retry inserts nothing).
  const updated = await trx
    .with('inserted', inserted)
    .table('bookings')
    .where({ id: record.bookingId })
    .whereExists(trx.select(trx.raw('1')).from('inserted'))
    .update(patch)
    .returning('id');
  return updated.length > 0;
}
