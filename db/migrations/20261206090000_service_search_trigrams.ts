import type { Knex } from 'knex';

/** pg_trgm's word-similarity operators (`<%`, `%>`), as search uses them. */
const WORD_SIMILARITY_OPERATORS = ['word_similarity_op(text, text)', 'word_similarity_commutator_op(text, text)'];

/**
 * Search that forgives small typos: trigram indexes (pg_trgm, a trusted extension) over the text a
 * service is found by (its title and description) and over people's names (a provider is found by
 * name). Word prefixes use the existing `services.search` tsvector.
 *
 * pg_trgm declares its operators as cheap as `=`, so on 10,000 services the planner read every row
 * and computed trigrams for each (170 ms) instead of the index (1.5 ms). Their true cost is set
 * where this role may (it owns them, or is a superuser): elsewhere the search is right, only slower.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('create extension if not exists pg_trgm');
  await db.raw(`create index services_text_trgm_idx on services using gin ((title || ' ' || description) gin_trgm_ops)`);
  await db.raw('create index users_name_trgm_idx on users using gin (name gin_trgm_ops)');
  await setOperatorCost(db, 100);
}

export async function down(db: Knex): Promise<void> {
  await setOperatorCost(db, 1);
  await db.raw('drop index users_name_trgm_idx');
  await db.raw('drop index services_text_trgm_idx');
}

async function setOperatorCost(db: Knex, cost: number): Promise<void> {
  for (const fn of WORD_SIMILARITY_OPERATORS) {
    await db.raw(`do $$ begin
      if pg_has_role(current_user, (select proowner from pg_proc where oid = '${fn}'::regprocedure), 'usage') then
        alter function ${fn} cost ${cost};
      end if;
    end $$`);
  }
}
