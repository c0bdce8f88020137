import type { Knex } from 'knex';

/**
 * What each attempt actually sent, for its history row: the method and URL, the headers (the
 * signature cut to its `t=` part) and the start of the body. Null on rows that sent nothing
 * (pending, missed, skipped) and on rows written before this.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('job_executions', (t) => {
    t.text('request_method');
    t.text('request_url');
    t.jsonb('request_headers');
    t.text('request_body');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('job_executions', (t) => {
    t.dropColumns('request_method', 'request_url', 'request_headers', 'request_body');
  });
}
