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
  topicSchema.parse(topic);
  const json = JSON.stringify(data ?? null);
  const inline = Buffer.byteLength(json) + Buffer.byteLength(topic) + Buffer.byteLength(event) < INLINE_LIMIT;
  // One round trip: next seq, stored event, notification.
  const result = await db.raw<{ rows: Array<{ seq: number }> }>(
    `with next as (
       insert into realtime_topics as t (topic, seq) values (?, 1)
       on conflict (topic) do update set seq = t.seq + 1
       returning seq
     ), stored as (
       insert into realtime_events (topic, seq, event, data)
       select ?, seq, ?, cast(? as jsonb) from next
       returning seq, event, data
     )
     select seq, pg_notify(?, case when ? then json_build_object('topic', ?::text, 'seq', seq, 'at', ${NOW_MS}, 'event', event, 'data', data)
                                      else json_build_object('topic', ?::text, 'seq', seq, 'at', ${NOW_MS}) end::text)
     from stored`,
    [topic, topic, event, json, EVENTS_CHANNEL, inline, topic, topic],
  );
  return Number(result.rows[0].seq);
}
