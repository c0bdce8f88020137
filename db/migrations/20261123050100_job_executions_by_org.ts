import type { Knex } from 'knex';

/**
 * The jobs dashboard sums an organization's executions over the last hours and since the viewer's
 * midnight: an index by organization and time, carrying the status and job so the sums read the
 * index alone (the existing one is by job, which the organization-wide figures cannot use).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('create index job_executions_org_scheduled_idx on job_executions (organization_id, scheduled_for) include (status, job_id)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index job_executions_org_scheduled_idx');
}
