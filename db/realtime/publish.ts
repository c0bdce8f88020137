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
 * events, one notification each), as `publish` does for one. Returns their seqs.
 */
export async function publishAll(db: Knex | Knex.Transaction, topic: string, events: Array<{ event: string; data: unknown }>): Promise<number[]> {
  return (await publishTopics(db, [{ topic, events }]))[0];
}

export interface TopicEvents {
  topic: string;
  events: Array<{ event: string; data: unknown }>;
}

/**
 * Events on several topics in one round trip, a prepared statement, since every change published
 * runs it. Each topic's events get the next seqs in the order given, and all are notified in the
 * order given. The topics' counter rows are locked in name order, so two transactions that
 * publish to the same topics never wait on each other crosswise. Returns each topic's seqs.
 */
export async function publishTopics(db: Knex | Knex.Transaction, list: TopicEvents[]): Promise<number[][]> {
  const flat = list.flatMap(({ topic, events }) => {
    topicSchema.parse(topic);
    return events.map((e) => ({ topic, event: e.event, json: JSON.stringify(e.data ?? null) }));
  });
  if (!flat.length) return list.map(() => []);
  const inline = flat.map((e) => Buffer.byteLength(e.json) + Buffer.byteLength(e.topic) + Buffer.byteLength(e.event) < INLINE_LIMIT);
  const query = db.raw(
    `with input as (
       select * from unnest(?::text[], ?::text[], ?::jsonb[], ?::boolean[]) with ordinality as e(topic, event, data, inline, n)
     ), counts as (
       select topic, count(*) as k from input group by topic
     ), next as (
       insert into realtime_topics as t (topic, seq)
       select topic, k from counts order by topic
       on conflict (topic) do update set seq = t.seq + excluded.seq
       returning t.topic, t.seq
     ), numbered as (
       select i.topic, i.event, i.data, i.inline, i.n, next.seq - counts.k + row_number() over (partition by i.topic order by i.n) as seq
       from input i join counts using (topic) join next using (topic)
     ), stored as (
       insert into realtime_events (topic, seq, event, data) select topic, seq, event, data from numbered
     )
     -- offset 0 keeps the sort below the notifications, so they are sent in the order given.
     select s.seq, pg_notify(?, case when s.inline
                                     then json_build_object('topic', s.topic, 'seq', s.seq, 'at', ${NOW_MS}, 'event', s.event, 'data', s.data)
                                     else json_build_object('topic', s.topic, 'seq', s.seq, 'at', ${NOW_MS}) end::text)
     from (select * from numbered order by n offset 0) s`,
    [flat.map((e) => e.topic), flat.map((e) => e.event), flat.map((e) => e.json), inline, EVENTS_CHANNEL],
  );
  const seqs = (await queryPrepared<{ seq: string }>(db, 'publish-topics', query)).map((r) => Number(r.seq));
  let next = 0;
  return list.map(({ events }) => seqs.slice(next, (next += events.length)));
}
