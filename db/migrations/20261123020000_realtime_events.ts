import type { Knex } from 'knex';

/**
 * Realtime events announced with `publish`: one counter row per topic hands out the next
 * seq inside the publishing transaction, and the event itself is kept so that a payload
 * larger than NOTIFY's 8 kB can be loaded by the relay and a reconnecting client can be
 * sent what it missed. Old rows are pruned in the background (db/realtime/prune.ts).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('realtime_topics', (t) => {
    t.text('topic').primary();
    t.bigInteger('seq').notNullable();
  });
  await db.schema.createTable('realtime_events', (t) => {
    t.text('topic').notNullable();
    t.bigInteger('seq').notNullable();
    t.text('event').notNullable();
    t.jsonb('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['topic', 'seq']);
    // Pruning by age scans this instead of every topic's rows.
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('realtime_events');
  await db.schema.dropTable('realtime_topics');
}
