import type { Knex } from 'knex';

/** What a job calls success (domain/jobs/expected-response.ts); every job so far expected a 2xx. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.jsonb('expected_response').notNullable().defaultTo(JSON.stringify({ statusCodes: ['2xx'] }));
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('jobs', (t) => {
    t.dropColumn('expected_response');
  });
}
