import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { generateSlots, type Slot } from '../../domain/availability/generate-slots.ts';
import { WEEKDAYS, type Block, type BookingInterval, type DateOverride, type LocalInterval, type WeeklyTemplate } from '../../domain/availability/schemas.ts';
import type { BlockView } from '../../domain/availability/views.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';
import { unboundedTiming, type ServiceTimingFields } from '../../domain/catalog/services.ts';

type Conn = Db | Knex.Transaction;

/** Bumped by a trigger on every change under a provider's slots; 0 before the first one. */
export async function availabilityVersion(db: Conn, providerId: number): Promise<number> {
  const row = await db('availability_versions').where({ provider_id: providerId }).first('version');
  return row?.version ?? 0;
}

// ---- weekly template ------------------------------------------------------------------------

/** `time` columns read as HH:mm:ss; 24:00:00 is the end of the day. */
const hhmm = (time: string) => time.slice(0, 5);

export interface TemplateRow {
  weekday: number;
  starts_local: string;
  ends_local: string;
}

/** Rows in weekday and start order. */
export function templateOf(rows: readonly TemplateRow[]): WeeklyTemplate {
  const template: WeeklyTemplate = {};
  for (const row of rows) (template[WEEKDAYS[row.weekday - 1]] ??= []).push({ start: hhmm(row.starts_local), end: hhmm(row.ends_local) });
  return template;
}

export async function readWeeklyTemplate(db: Conn, providerId: number): Promise<WeeklyTemplate> {
  const rows: TemplateRow[] = await db('availability_templates')
    .where({ provider_id: providerId })
    .orderBy(['weekday', 'starts_local'])
    .select('weekday', 'starts_local', 'ends_local');
  return templateOf(rows);
}

/** The whole week at once, so a reader never sees half of the old hours and half of the new. */
export async function replaceWeeklyTemplate(db: Db, providerId: number, template: WeeklyTemplate): Promise<void> {
  const rows = WEEKDAYS.flatMap((day, i) => (template[day] ?? []).map((interval) => ({ provider_id: providerId, weekday: i + 1, starts_local: interval.start, ends_local: interval.end })));
  await db.transaction(async (trx) => {
    await trx('availability_templates').where({ provider_id: providerId }).delete();
    if (rows.length) await trx('availability_templates').insert(rows);
  });
}

// ---- date overrides -------------------------------------------------------------------------

/** Overrides of local dates in [fromDate, toDate], both `yyyy-MM-dd`, either end open. */
export async function listOverrides(db: Conn, providerId: number, fromDate?: string, toDate?: string): Promise<DateOverride[]> {
  const rows: { date: string; intervals: LocalInterval[] }[] = await db('availability_overrides')
    .where({ provider_id: providerId })
    .modify((q) => {
      if (fromDate) q.where('local_date', '>=', fromDate);
      if (toDate) q.where('local_date', '<=', toDate);
    })
    .orderBy('local_date')
    // A `date` would come back as a Date at local midnight of the API process; the text is exact.
    .select(db.raw("to_char(local_date, 'YYYY-MM-DD') as date"), 'intervals');
  return rows.map(overrideOf);
}

/** A stored override: no intervals means closed. */
export function overrideOf(row: { date: string; intervals: LocalInterval[] }): DateOverride {
  return row.intervals.length === 0 ? { date: row.date, closed: true } : { date: row.date, intervals: row.intervals };
}

export async function putOverride(db: Conn, providerId: number, override: DateOverride): Promise<void> {
  const intervals = 'closed' in override ? [] : override.intervals;
  await db('availability_overrides')
    .insert({ provider_id: providerId, local_date: override.date, intervals: JSON.stringify(intervals) })
    .onConflict(['provider_id', 'local_date'])
    .merge(['intervals']);
}

export async function deleteOverride(db: Conn, providerId: number, date: string): Promise<boolean> {
  return (await db('availability_overrides').where({ provider_id: providerId, local_date: date }).delete()) > 0;
}

// ---- blocks ---------------------------------------------------------------------------------

const BLOCK_COLUMNS = ['id', 'source', 'calendar', 'reason', 'lower(during) as start', 'upper(during) as end'];

function toBlockView(row: { id: number; source: BlockView['source']; calendar: string | null; reason: string; start: Date; end: Date }): BlockView {
  return { id: row.id, start: row.start.toISOString(), end: row.end.toISOString(), source: row.source, calendar: row.calendar, reason: row.reason };
}

const rangeOf = (db: Conn, start: Date | string, end: Date | string) => db.raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [start, end]);

/** Blocks of either source that overlap [from, to). */
export async function listBlocks(db: Conn, providerId: number, from: Date, to: Date): Promise<BlockView[]> {
  const rows = await db('availability_blocks')
    .where({ provider_id: providerId })
    .whereRaw('during && ?', [rangeOf(db, from, to)])
    .orderByRaw('lower(during)')
    .select(BLOCK_COLUMNS.map((c) => db.raw(c)));
  return rows.map(toBlockView);
}

export async function insertProviderBlock(db: Conn, providerId: number, block: { start: string; end: string; reason: string }): Promise<BlockView> {
  const [row] = await db('availability_blocks')
    .insert({ provider_id: providerId, during: rangeOf(db, block.start, block.end), source: 'provider', reason: block.reason })
    .returning(BLOCK_COLUMNS.map((c) => db.raw(c)) as never);
  return toBlockView(row);
}

/** Only the provider's own blocks: external ones come and go with their calendar. */
export async function deleteProviderBlock(db: Conn, providerId: number, id: number): Promise<boolean> {
  return (await db('availability_blocks').where({ id, provider_id: providerId, source: 'provider' }).delete()) > 0;
}

export interface ExternalBlock {
  providerId: number;
  calendar: string;
  externalEventId: string;
  start: string;
  end: string;
  reason: string;
}

/** Created or moved: the calendar event's block is [start, end) now, whichever came first. */
export async function upsertExternalBlock(db: Conn, block: ExternalBlock): Promise<void> {
  await db('availability_blocks')
    .insert({
      provider_id: block.providerId,
      calendar: block.calendar,
      external_event_id: block.externalEventId,
      source: 'external',
      during: rangeOf(db, block.start, block.end),
      reason: block.reason,
    })
    .onConflict(['provider_id', 'calendar', 'external_event_id'])
    .merge({ during: rangeOf(db, block.start, block.end), reason: block.reason, updated_at: db.fn.now() });
}

export async function deleteExternalBlock(db: Conn, block: { providerId: number; calendar: string; externalEventId: string }): Promise<void> {
  await db('availability_blocks').where({ provider_id: block.providerId, calendar: block.calendar, external_event_id: block.externalEventId, source: 'external' }).delete();
}

/** False when this delivery was processed before; run inside the transaction that applies it. */
export async function recordCalendarDelivery(trx: Knex.Transaction, calendar: string, deliveryId: string): Promise<boolean> {
  const inserted = await trx('calendar_webhook_deliveries').insert({ calendar, delivery_id: deliveryId }).onConflict(['calendar', 'delivery_id']).ignore().returning('delivery_id');
  return inserted.length > 0;
}

// ---- slots ----------------------------------------------------------------------------------

export const LIVE_STATES: readonly BookingState[] = ['held', 'requested', 'accepted', 'in_progress'];
/** Buffers reach at most a few hours beyond a slot; a day of margin loads everything that can touch it. */
const MARGIN_MS = 24 * 60 * 60 * 1000;

export interface SlotInputs {
  bookings: BookingInterval[];
  blocks: Block[];
  externalBlocks: Block[];
  /** When the first live hold in these inputs expires, and the slots computed from them go stale. */
  validUntilMs: number;
}

export interface LiveBookingRow {
  starts_at: Date;
  ends_at: Date;
  state: BookingState;
  hold_expires_at: Date;
  blocks_start: Date;
  blocks_end: Date;
}

export interface BlockRow {
  source: string;
  start: Date;
  end: Date;
}

/**
 * Each live booking counts twice: its appointment makes slots booked or held, and its buffered
 * `blocks` range blocks what the database's exclusion constraint would refuse even when the other
 * service's buffers are longer than this one's.
 */
export function slotInputsOf(bookingRows: readonly LiveBookingRow[], blockRows: readonly BlockRow[]): SlotInputs {
  const iso = (start: Date, end: Date) => ({ start: start.toISOString(), end: end.toISOString() });
  const holdExpiries = bookingRows.filter((b) => b.state === 'held').map((b) => b.hold_expires_at.getTime());
  return {
    bookings: bookingRows.map((b) => ({ ...iso(b.starts_at, b.ends_at), state: b.state })),
    blocks: [...blockRows.filter((b) => b.source === 'provider'), ...bookingRows.map((b) => ({ start: b.blocks_start, end: b.blocks_end }))].map((b) => iso(b.start, b.end)),
    externalBlocks: blockRows.filter((b) => b.source === 'external').map((b) => iso(b.start, b.end)),
    validUntilMs: Math.min(Infinity, ...holdExpiries),
  };
}

/** Live bookings and blocks around [from, to). Holds past their expiry are left out: the booking actor is about to expire them. */
async function loadSlotInputs(db: Conn, providerId: number, from: Date, to: Date, now: Date): Promise<SlotInputs> {
  const around = rangeOf(db, new Date(from.getTime() - MARGIN_MS), new Date(to.getTime() + MARGIN_MS));
  const bookingRows: LiveBookingRow[] = await db('bookings')
    .where({ provider_id: providerId })
    .whereIn('state', LIVE_STATES)
    .where((q) => q.whereNot('state', 'held').orWhere('hold_expires_at', '>', now))
    .whereRaw('blocks && ?', [around])
    .select('starts_at', 'ends_at', 'state', 'hold_expires_at', db.raw('lower(blocks) as blocks_start'), db.raw('upper(blocks) as blocks_end'))
    // A proposed new time is held for its booking until the answer: to everyone else it is a hold.
    .unionAll((q) =>
      q
        .from('bookings')
        .where({ provider_id: providerId })
        .whereIn('state', LIVE_STATES)
        .whereRaw('proposed_blocks && ?', [around])
        .select(
          'proposed_starts_at as starts_at',
          'proposed_ends_at as ends_at',
          db.raw("'held' as state"),
          'proposal_respond_by as hold_expires_at',
          db.raw('lower(proposed_blocks) as blocks_start'),
          db.raw('upper(proposed_blocks) as blocks_end'),
        ),
    );
  const blockRows: BlockRow[] = await db('availability_blocks')
    .where({ provider_id: providerId })
    .whereRaw('during && ?', [around])
    .select('source', db.raw('lower(during) as start'), db.raw('upper(during) as end'));
  return slotInputsOf(bookingRows, blockRows);
}

export interface SlotSubject extends ServiceTimingFields {
  providerId: number;
  providerTimezone: string;
}

/**
 * Every slot of the service's shape starting in [from, to), with its state, as of `now`; the
 * booking window (notice, horizon) is not applied here, so the answer can be cached and shared
 * until `validUntilMs` or until the provider's availability version moves.
 */
export async function slotsInRange(db: Conn, subject: SlotSubject, from: Date, to: Date, now: Date): Promise<{ slots: Slot[]; validUntilMs: number }> {
  const [template, overrides, inputs] = await Promise.all([
    readWeeklyTemplate(db, subject.providerId),
    listOverrides(db, subject.providerId),
    loadSlotInputs(db, subject.providerId, from, to, now),
  ]);
  const slots = generateSlots({
    template,
    overrides,
    blocks: inputs.blocks,
    externalBlocks: inputs.externalBlocks,
    holds: [],
    bookings: inputs.bookings,
    service: unboundedTiming(subject),
    providerTimezone: subject.providerTimezone,
    from,
    to,
    // Generation starts at `from`; the real window is applied by whoever reads the slots.
    now: from,
  });
  return { slots, validUntilMs: inputs.validUntilMs };
}
