import type { Knex } from 'knex';
import { EVENTS_CHANNEL, INLINE_LIMIT, topicSchema } from './channel.ts';

/**
 * Announces a committed change on a topic. Call it inside the transaction that makes the
 * change: the event row and its NOTIFY then commit with it, and a rollback announces nothing.
 *
 * The topic's counter row stays locked until the transaction ends, so publishers to one
 * topic commit in seq order; publish late in a long transaction to keep that lock short.
 * Returns the event's seq.
 */
/** When the event was published, in epoch ms, so the relay can measure how late it delivers. */
const NOW_MS = 'round(extract(epoch from clock_timestamp()) * 1000)';

export async function publish(db: Knex | Knex.Transaction, topic: string, event: string, data: unknown): Promise<number> {
  const [seq] = await publishMany(db, topic, [{ event, data }]);
  return seq;
}

/** Several events on one topic in one round trip, in order (their seqs follow each other); as `publish` for each. */
export async function publishMany(db: Knex | Knex.Transaction, topic: string, events: Array<{ event: string; data: unknown }>): Promise<number[]> {
  if (events.length === 0) return [];
  topicSchema.parse(topic);
  const input = events.map(({ event, data }, index) => {
    const json = JSON.stringify(data ?? null);
    const inline = Buffer.byteLength(json) + Buffer.byteLength(topic) + Buffer.byteLength(event) < INLINE_LIMIT;
    return `{"ord":${index + 1},"event":${JSON.stringify(event)},"inline":${inline},"data":${json}}`;
  });
  // One round trip: the next seqs, the stored events, their notifications.
  const result = await db.raw<{ rows: Array<{ seq: number }> }>(
    `with input as (
       select * from jsonb_to_recordset(?::jsonb) as x(ord int, event text, inline boolean, data jsonb)
     ), next as (
       insert into realtime_topics as t (topic, seq) values (?, ?)
       on conflict (topic) do update set seq = t.seq + excluded.seq
       returning seq
     ), stored as (
       insert into realtime_events (topic, seq, event, data)
       select ?, next.seq - ? + input.ord, input.event, input.data from next, input
       returning seq, event, data
     )
     select stored.seq, pg_notify(?, case when input.inline then json_build_object('topic', ?::text, 'seq', stored.seq, 'at', ${NOW_MS}, 'event', stored.event, 'data', stored.data)
                                           else json_build_object('topic', ?::text, 'seq', stored.seq, 'at', ${NOW_MS}) end::text)
     from stored join next on true join input on stored.seq = next.seq - ? + input.ord
     order by stored.seq`,
    [`[${input.join(',')}]`, topic, events.length, topic, events.length, EVENTS_CHANNEL, topic, topic, events.length],
  );
  return result.rows.map((row) => Number(row.seq));
}
