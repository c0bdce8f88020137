import type { Knex } from 'knex';

/**
 * Cron jobs, their executions (one row per attempt, plus rows for fires that were skipped or
 * missed, so none is silently lost), each organization's job settings (notification targets and
 * the encrypted signing secret), monthly usage counters for the plan limits, and the billing
 * subscription state the plan follows.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('jobs', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('key').notNullable();
    t.text('name').notNullable();
    t.text('url').notNullable();
    t.text('method').notNullable();
    t.jsonb('headers').notNullable().defaultTo('{}');
    t.text('body');
    /** `{ kind: 'cron', expression }` or `{ kind: 'once', at }`; the timezone is its own column. */
    t.jsonb('schedule').notNullable();
    t.text('timezone').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('timeout_ms').notNullable();
    /** `{ attempts, initialMs, backoffCoefficient, maxMs }` */
    t.jsonb('retry').notNullable();
    t.text('overlap_policy').notNullable().checkIn(['skip', 'queue'], 'jobs_overlap_policy_check');
    t.text('catch_up_policy').notNullable().checkIn(['run_once', 'skip'], 'jobs_catch_up_policy_check');
    t.integer('disable_after_failures').notNullable();
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.text('disabled_reason');
    /** Bumped on every change to the definition, so the actor can ignore a stale signal. */
    t.integer('revision').notNullable().defaultTo(1);
    /** The scheduled time of the last fire the actor handled (ran, skipped or missed): where catch-up starts. */
    t.timestamp('last_fire_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['organization_id', 'key']);
  });

  await db.schema.createTable('job_executions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('job_id').notNullable().references('jobs.id').onDelete('CASCADE');
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    /** One run is one fire (scheduled, manual or catch-up) and all its attempts. */
    t.text('run_id').notNullable();
    t.integer('attempt').notNullable().defaultTo(1);
    t.text('trigger').notNullable().checkIn(['schedule', 'manual', 'catch_up'], 'job_executions_trigger_check');
    t.text('status')
      .notNullable()
      .checkIn(['pending', 'running', 'success', 'failed', 'timeout', 'missed', 'skipped'], 'job_executions_status_check');
    t.timestamp('scheduled_for', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.integer('duration_ms');
    t.integer('lateness_ms');
    t.integer('status_code');
    t.jsonb('response_headers');
    t.text('response_body');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    // A retried activity finds its own row instead of adding one.
    t.unique(['job_id', 'run_id', 'attempt']);
    t.index(['job_id', 'scheduled_for']);
  });

  await db.schema.createTable('job_org_settings', (t) => {
    t.bigInteger('organization_id').primary().references('organizations.id').onDelete('CASCADE');
    t.boolean('notify_email').notNullable().defaultTo(true);
    t.text('notify_webhook_url');
    /** AES-256-GCM, see domain/jobs/secret-box.ts; never answered but by the reveal route. */
    t.text('signing_secret_encrypted').notNullable();
    t.timestamp('signing_secret_rotated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('job_usage', (t) => {
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    /** First day of the month, UTC. */
    t.date('month').notNullable();
    t.integer('executions').notNullable().defaultTo(0);
    t.primary(['organization_id', 'month']);
  });

  await db.schema.createTable('billing_subscriptions', (t) => {
    t.text('subscription_id').primary();
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.text('plan').notNullable();
    /** The provider's updated_at of the event applied last: an older event arriving late changes nothing. */
    t.timestamp('provider_updated_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['organization_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('billing_subscriptions');
  await db.schema.dropTable('job_usage');
  await db.schema.dropTable('job_org_settings');
  await db.schema.dropTable('job_executions');
  await db.schema.dropTable('jobs');
}
