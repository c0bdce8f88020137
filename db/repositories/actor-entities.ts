import type { Db } from '../connection.ts';
import { containsPattern } from '../like-pattern.ts';
import type { ActorEntityKind, ActorEntityRef, ActorEntityView } from '../../domain/inspector/views.ts';

const MATCH_LIMIT = 50;

/** The named records of these actors, in one query per kind; a record deleted since is left out. */
export async function actorEntities(db: Db, refs: ActorEntityRef[]): Promise<ActorEntityView[]> {
  const ids = (kind: ActorEntityKind) => refs.filter((ref) => ref.kind === kind).map((ref) => ref.id);
  const [bookings, jobs, stores, calendars] = await Promise.all([
    ids('booking').length
      ? db('bookings as b').join('services as s', 's.id', 'b.service_id').join('users as c', 'c.id', 'b.customer_id').whereIn('b.id', ids('booking')).select('b.id', db.raw(`'#' || b.id || ' ' || s.title || ' for ' || c.name as name`))
      : [],
    ids('job').length ? db('jobs as j').join('organizations as o', 'o.id', 'j.organization_id').whereIn('j.id', ids('job')).select('j.id', 'j.name', 'o.name as organization') : [],
    ids('store').length ? db('stores as s').join('organizations as o', 'o.id', 's.organization_id').whereIn('s.id', ids('store')).select('s.id', 's.name', 'o.name as organization') : [],
    ids('calendar').length ? db('users').whereIn('id', ids('calendar')).select('id', db.raw(`name || '''s calendars' as name`)) : [],
  ]);
  const view = (kind: ActorEntityKind) => (row: { id: string | number; name: string; organization?: string }) => ({ kind, id: Number(row.id), name: row.name, organization: row.organization ?? null });
  return [...bookings.map(view('booking')), ...jobs.map(view('job')), ...stores.map(view('store')), ...calendars.map(view('calendar'))];
}

/**
 * The records whose actors a search means: a booking by its number (`123` or `#123`), jobs and stores
 * by words in their name, bookings by their service's title or customer's name. At most 50 of each.
 */
export async function actorEntitiesMatching(db: Db, text: string): Promise<ActorEntityRef[]> {
  const number = /^#?(\d{1,15})$/.exec(text)?.[1];
  const like = containsPattern(text);
  const [bookings, jobs, stores] = await Promise.all([
    number
      ? db('bookings').where('id', Number(number)).pluck('id')
      : db('bookings as b').join('services as s', 's.id', 'b.service_id').join('users as c', 'c.id', 'b.customer_id').where((w) => w.whereILike('s.title', like).orWhereILike('c.name', like)).orderBy('b.id', 'desc').limit(MATCH_LIMIT).pluck('b.id'),
    db('jobs').whereILike('name', like).orderBy('id', 'desc').limit(MATCH_LIMIT).pluck('id'),
    db('stores').whereILike('name', like).orderBy('id', 'desc').limit(MATCH_LIMIT).pluck('id'),
  ]);
  const refs = (kind: ActorEntityKind, list: Array<string | number>) => list.map((id) => ({ kind, id: Number(id) }));
  return [...refs('booking', bookings), ...refs('job', jobs), ...refs('store', stores)];
}
