import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { queryPrepared } from '../prepared.ts';
import { LIVE_STATES, overrideOf, slotInputsOf, templateOf, type BlockRow, type LiveBookingRow, type TemplateRow } from './availability.ts';
import { isOpenSlotStart } from '../../domain/availability/generate-slots.ts';
import type { LocalInterval } from '../../domain/availability/schemas.ts';
import { containsPattern } from '../like-pattern.ts';
import { searchWordsOf } from '../../domain/catalog/search-words.ts';
import type { NewService, Price, PriceKind, ServiceChange, ServiceSearch } from '../../domain/catalog/services.ts';
import type { ServiceView } from '../../domain/catalog/service-view.ts';

/** A service with what deciding about it needs: whether its provider may still be seen. */
export interface ServiceRecord extends ServiceView {
  providerEnabled: boolean;
  providerTimezone: string;
}

interface ServiceRow {
  id: number;
  provider_id: number;
  provider_name: string;
  provider_disabled_at: Date | null;
  provider_timezone: string;
  category_id: number | null;
  title: string;
  description: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  price_kind: PriceKind;
  price_minor: number;
  currency: string;
  min_notice_minutes: number;
  max_days_ahead: number;
  auto_accept: boolean;
  position: number;
  active: boolean;
  response_sla_minutes: number;
  created_at: Date;
  updated_at: Date;
}

/** ServiceRow's own columns, named: a prepared statement's result may not change when a migration adds one. */
const SERVICE_COLUMNS = ['id', 'provider_id', 'category_id', 'title', 'description', 'duration_minutes', 'buffer_before_minutes', 'buffer_after_minutes', 'price_kind', 'price_minor', 'currency', 'min_notice_minutes', 'max_days_ahead', 'auto_accept', 'position', 'active', 'created_at', 'updated_at'].map((c) => `s.${c}`);

function servicesWithProvider(db: Db | Knex.Transaction) {
  return db('services as s')
    .join('provider_profiles as p', 'p.user_id', 's.provider_id')
    .join('users as u', 'u.id', 's.provider_id')
    .select(...SERVICE_COLUMNS, 'u.name as provider_name', 'u.disabled_at as provider_disabled_at', 'p.timezone as provider_timezone', 'p.response_sla_minutes');
}

function toView(row: ServiceRow): ServiceView {
  return {
    id: row.id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    categoryId: row.category_id,
    title: row.title,
    description: row.description,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    price: { kind: row.price_kind, amountMinor: row.price_minor, currency: row.currency.trim() },
    minNoticeMinutes: row.min_notice_minutes,
    maxDaysAhead: row.max_days_ahead,
    autoAccept: row.auto_accept,
    position: row.position,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toRecord(row: ServiceRow): ServiceRecord {
  return { ...toView(row), providerEnabled: row.provider_disabled_at === null, providerTimezone: row.provider_timezone };
}

export async function findService(db: Db, id: number): Promise<ServiceRecord | undefined> {
  const row: ServiceRow | undefined = await servicesWithProvider(db).where('s.id', id).first();
  return row && toRecord(row);
}

/** A word's prefix query: "plumb" is `'plumb':*`, which finds "plumbing" and "plumber". */
const PREFIX_QUERY = "to_tsquery('simple', quote_literal(?) || ':*')";
/** A name holding the word, or a word a small typo away from it; both by the name's trigram index. */
const NAME_MATCHES = '(name ilike ? or ? <% name)';

/**
 * The services a search word finds: a word of their title or description starting with it or a
 * small typo away from it (pg_trgm's word similarity), their category's name or a parent's, or
 * their provider's name. One indexed select per way of being found, so PostgreSQL reads only the
 * rows found instead of testing every service; the costly trigram test skips what the prefix found.
 */
function whereWordFinds(query: Knex.QueryBuilder, word: string): void {
  query.whereRaw(
    `s.id in (select id from services where search @@ ${PREFIX_QUERY}
      union all select id from services where ? <% (title || ' ' || description) and not search @@ ${PREFIX_QUERY}
      union all select id from services where category_id in (with recursive tree as (select id from service_categories where ${NAME_MATCHES}
        union all select c.id from service_categories c join tree on c.parent_id = tree.id) select id from tree)
      union all select id from services where provider_id in (select p.user_id from provider_profiles p join users on users.id = p.user_id where ${NAME_MATCHES}))`,
    [word, word, word, containsPattern(word), word, containsPattern(word), word],
  );
}

/**
 * Active services of enabled providers. Every word of `q` must find the service (see
 * whereWordFinds); the best match comes first. A category matches its subcategories too.
 */
export async function searchServices(db: Db, search: ServiceSearch): Promise<{ items: ServiceView[]; total: number }> {
  const words = search.q ? searchWordsOf(search.q) : [];
  const filtered = servicesWithProvider(db)
    .where('s.active', true)
    .whereNull('u.disabled_at')
    .modify((q) => {
      for (const word of words) whereWordFinds(q, word);
      if (search.providerId) q.where('s.provider_id', search.providerId);
      if (search.minPrice !== undefined) q.where('s.price_minor', '>=', search.minPrice);
      if (search.maxPrice !== undefined) q.where('s.price_minor', '<=', search.maxPrice);
      if (search.currency) q.where('s.currency', search.currency);
      if (search.categoryId) {
        q.whereRaw(
          `s.category_id in (with recursive tree as (select id from service_categories where id = ?
             union all select c.id from service_categories c join tree on c.parent_id = tree.id) select id from tree)`,
          [search.categoryId],
        );
      }
    });
  const [{ count }] = await db.from(filtered.clone().as('matches')).count<{ count: string }[]>({ count: '*' });
  const rows: ServiceRow[] = await filtered
    .modify((q) => {
      if (words.length) {
        q.orderByRaw(`ts_rank(s.search, ${words.map(() => PREFIX_QUERY).join(' && ')}) desc`, words);
      }
    })
    .orderBy('s.id', 'desc')
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize);
  return { items: rows.map(toView), total: Number(count) };
}

/** In the provider's order; archived ones too when asked (their own services page). */
export async function listServicesOf(db: Db, providerId: number, options: { includeArchived?: boolean } = {}): Promise<ServiceView[]> {
  const rows: ServiceRow[] = await servicesWithProvider(db)
    .where({ 's.provider_id': providerId })
    .modify((q) => {
      if (!options.includeArchived) q.where('s.active', true);
    })
    .orderBy(['s.position', 's.id']);
  return rows.map(toView);
}

/**
 * The provider's services in this order, all at once; false (nothing changed) unless `ids` names
 * each of their services exactly once, so two tabs reordering at once cannot lose a service.
 */
export async function reorderServices(db: Db, providerId: number, ids: readonly number[]): Promise<boolean> {
  return db.transaction(async (trx) => {
    const own: { id: number }[] = await trx('services').where({ provider_id: providerId }).forUpdate().select('id');
    const wanted = new Set(ids);
    if (wanted.size !== ids.length || own.length !== ids.length || own.some((s) => !wanted.has(s.id))) return false;
    for (const [position, id] of ids.entries()) await trx('services').where({ id }).update({ position });
    return true;
  });
}

function columnsOf(change: Partial<NewService> & ServiceChange): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => value !== undefined && (columns[column] = value);
  set('title', change.title);
  set('description', change.description);
  set('category_id', change.categoryId);
  set('duration_minutes', change.durationMinutes);
  set('buffer_before_minutes', change.bufferBeforeMinutes);
  set('buffer_after_minutes', change.bufferAfterMinutes);
  set('price_kind', change.price?.kind);
  set('price_minor', change.price?.amountMinor);
  set('currency', change.price?.currency);
  set('min_notice_minutes', change.minNoticeMinutes);
  set('max_days_ahead', change.maxDaysAhead);
  set('auto_accept', change.autoAccept);
  set('active', change.active);
  return columns;
}

/** A new service comes last in the provider's order. */
export async function insertService(db: Db, providerId: number, service: NewService): Promise<number> {
  const position = db('services').where({ provider_id: providerId }).select(db.raw('coalesce(max(position) + 1, 0)'));
  const [{ id }] = await db('services').insert({ ...columnsOf(service), provider_id: providerId, position }).returning('id');
  return id;
}

/** Deactivating is `{ active: false }`: bookings keep pointing at the service. */
export async function updateService(db: Db, id: number, change: ServiceChange): Promise<void> {
  await db('services').where({ id }).update({ ...columnsOf(change), updated_at: db.fn.now() });
}

export interface ServiceToHold {
  id: number;
  title: string;
  providerId: number;
  providerName: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceKind: PriceKind;
  priceMinor: number;
  currency: string;
  minNoticeMinutes: number;
  maxDaysAhead: number;
  active: boolean;
  providerTimezone: string;
  responseSlaMinutes: number;
  autoAccept: boolean;
}

type HoldRow = ServiceRow & {
  template: TemplateRow[];
  overrides: { date: string; intervals: LocalInterval[] }[];
  blocks: Json<BlockRow>[];
  bookings: Json<LiveBookingRow>[];
  proposals: Json<LiveBookingRow>[];
};

/** A row that came through json_agg: its timestamps are ISO strings. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/**
 * A service as a hold needs it, and whether `startsAt` is one of its open slots at `now`, in one
 * round trip: the provider's weekly template, the overrides of the local dates around the start,
 * and the blocks and live bookings within reach of the slot and its buffers come along, and the
 * slot is generated from them by the same rules as the calendar (nothing cached: the hold acts on
 * it). `active` is false when the service was deactivated or its provider disabled: either way
 * nobody may book it now. Undefined for an unknown service. `exceptBookingId`: a booking being
 * moved, whose own time (and proposal) does not stand in its way.
 */
export async function findServiceToHold(db: Db, serviceId: number, startsAt: Date, now: Date, options: { exceptBookingId?: number } = {}): Promise<{ service: ServiceToHold; slotOpen: boolean } | undefined> {
  const at = startsAt.toISOString();
  const query = servicesWithProvider(db)
    // Buffers on both sides count (see slotState), so this reaches far enough for any rule.
    .joinRaw(
      `cross join lateral (select tstzrange(?::timestamptz - make_interval(mins => s.buffer_before_minutes + s.buffer_after_minutes),
         ?::timestamptz + make_interval(mins => s.duration_minutes + s.buffer_before_minutes + s.buffer_after_minutes), '[)') as reach) r`,
      [at, at],
    )
    .where('s.id', serviceId)
    .select(
      db.raw(`(select coalesce(json_agg(t order by t.weekday, t.starts_local), '[]') from
         (select weekday, starts_local, ends_local from availability_templates where provider_id = s.provider_id) t) as template`),
      // The local date by PostgreSQL's zone data, a day either way in case luxon's differs.
      db.raw(
        `(select coalesce(json_agg(json_build_object('date', to_char(o.local_date, 'YYYY-MM-DD'), 'intervals', o.intervals)), '[]')
         from availability_overrides o where o.provider_id = s.provider_id
           and o.local_date between (?::timestamptz at time zone p.timezone)::date - 1 and (?::timestamptz at time zone p.timezone)::date + 1) as overrides`,
        [at, at],
      ),
      db.raw(`(select coalesce(json_agg(json_build_object('source', b.source, 'start', lower(b.during), 'end', upper(b.during))), '[]')
         from availability_blocks b where b.provider_id = s.provider_id and b.during && r.reach) as blocks`),
      db.raw(
        `(select coalesce(json_agg(json_build_object('starts_at', k.starts_at, 'ends_at', k.ends_at, 'state', k.state,
           'hold_expires_at', k.hold_expires_at, 'blocks_start', lower(k.blocks), 'blocks_end', upper(k.blocks))), '[]')
         from bookings k where k.provider_id = s.provider_id and k.state = any(?) and (k.state <> 'held' or k.hold_expires_at > ?)
           and k.blocks && r.reach and k.id <> ?) as bookings`,
        [[...LIVE_STATES], now, options.exceptBookingId ?? 0],
      ),
      // Proposed new times are held for their bookings: to anyone else they are holds.
      db.raw(
        `(select coalesce(json_agg(json_build_object('starts_at', k.proposed_starts_at, 'ends_at', k.proposed_ends_at, 'state', 'held',
           'hold_expires_at', k.proposal_respond_by, 'blocks_start', lower(k.proposed_blocks), 'blocks_end', upper(k.proposed_blocks))), '[]')
         from bookings k where k.provider_id = s.provider_id and k.state = any(?) and k.proposed_blocks && r.reach and k.id <> ?) as proposals`,
        [[...LIVE_STATES], options.exceptBookingId ?? 0],
      ),
    )
    .limit(1);
  const [row] = await queryPrepared<HoldRow>(db, 'find-service-to-hold', query);
  if (!row) return undefined;
  const service: ServiceToHold = {
    id: row.id,
    title: row.title,
    providerId: row.provider_id,
    providerName: row.provider_name,
    durationMinutes: row.duration_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    priceKind: row.price_kind,
    priceMinor: row.price_minor,
    currency: row.currency.trim(),
    minNoticeMinutes: row.min_notice_minutes,
    maxDaysAhead: row.max_days_ahead,
    active: row.active && row.provider_disabled_at === null,
    providerTimezone: row.provider_timezone,
    responseSlaMinutes: row.response_sla_minutes,
    autoAccept: row.auto_accept,
  };
  const date = (iso: string) => new Date(iso);
  const inputs = slotInputsOf(
    [...row.bookings, ...row.proposals].map((b) => ({ ...b, starts_at: date(b.starts_at), ends_at: date(b.ends_at), hold_expires_at: date(b.hold_expires_at), blocks_start: date(b.blocks_start), blocks_end: date(b.blocks_end) })),
    row.blocks.map((b) => ({ ...b, start: date(b.start), end: date(b.end) })),
  );
  const slotOpen =
    service.active &&
    isOpenSlotStart(
      {
        template: templateOf(row.template),
        overrides: row.overrides.map(overrideOf),
        blocks: inputs.blocks,
        externalBlocks: inputs.externalBlocks,
        holds: [],
        bookings: inputs.bookings,
        service: {
          durationMinutes: service.durationMinutes,
          bufferBeforeMinutes: service.bufferBeforeMinutes,
          bufferAfterMinutes: service.bufferAfterMinutes,
          minimumNoticeMinutes: service.minNoticeMinutes,
          maximumDaysAhead: service.maxDaysAhead,
        },
        providerTimezone: service.providerTimezone,
        now,
      },
      startsAt,
    );
  return { service, slotOpen };
}
