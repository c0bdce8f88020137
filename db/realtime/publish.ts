import type { Knex } from 'knex';
import { queryPrepared } from '../prepared.ts';
import { EVENTS_CHANNEL, INLINE_LIMIT, topicSchema } from './channel.ts';

/** When the event was published, in epoch ms, so the relay can measure how late it delivers. */
const NOW_MS = 'round(extract(epoch from clock_timestamp()) * 1000)';

/**
 * Announces a committed change on a topic. Call it inside the transaction that makes the
 * change: the event row and its NOTIFY then commit with it, and a rollback announces nothing.
 *
 * The topic's counter row stays locked until the transaction ends, so publishers to one
 * topic commit in seq order; publish late in a long transaction to keep that lock short.
 * Returns the event's seq.
 */
export async function publish(db: Knex | Knex.Transaction, topic: string, event: string, data: unknown): Promise<number> {
  const [seq] = await publishAll(db, topic, [{ event, data }]);
  return seq;
}

/**
 * Several events on one topic, in the order given, in one round trip (next seqs, stored
 * events, one notification each), as `publish` does for one; a prepared statement, since every
 * change published runs it. Returns their seqs.
 */
export async function publishAll(db: Knex | Knex.Transaction, topic: string, events: Array<{ event: string; data: unknown }>): Promise<number[]> {
  if (!events.length) return [];
  topicSchema.parse(topic);
  const json = events.map((e) => JSON.stringify(e.data ?? null));
  const inline = events.map((e, i) => Buffer.byteLength(json[i]) + Buffer.byteLength(topic) + Buffer.byteLength(e.event) < INLINE_LIMIT);
  const query = db.raw(
    `with next as (
       insert into realtime_topics as t (topic, seq) values (?, ?)
       on conflict (topic) do update set seq = t.seq + excluded.seq
       returning seq
     ), stored as (
       insert into realtime_events (topic, seq, event, data)
       select ?, next.seq - ? + e.n, e.event, e.data
       from next, unnest(?::text[], ?::jsonb[]) with ordinality as e(event, data, n)
       returning seq, event, data
     )
     select s.seq, pg_notify(?, case when (?::boolean[])[s.seq - next.seq + ?]
                                     then json_build_object('topic', ?::text, 'seq', s.seq, 'at', ${NOW_MS}, 'event', s.event, 'data', s.data)
                                     else json_build_object('topic', ?::text, 'seq', s.seq, 'at', ${NOW_MS}) end::text)
     from stored s, next
     order by s.seq`,
    [topic, events.length, topic, events.length, events.map((e) => e.event), json, EVENTS_CHANNEL, inline, events.length, topic, topic],
  );
  const rows = await queryPrepared<{ seq: number }>(db, 'publish-all', query);
  return rows.map((r) => Number(r.seq));
}
