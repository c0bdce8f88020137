import type { Knex } from 'knex';

/**
 * Search that forgives small typos: trigram indexes (pg_trgm, a trusted extension) over the text a
 * service is found by (its title and description) and over people's names (a provider is found by
 * name). Word prefixes use the existing `services.search` tsvector.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('create extension if not exists pg_trgm');
  await db.raw(`create index services_text_trgm_idx on services using gin ((title || ' ' || description) gin_trgm_ops)`);
  await db.raw('create index users_name_trgm_idx on users using gin (name gin_trgm_ops)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index users_name_trgm_idx');
  await db.raw('drop index services_text_trgm_idx');
}
