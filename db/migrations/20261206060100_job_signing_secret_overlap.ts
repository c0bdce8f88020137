import type { Knex } from 'knex';

/**
 * A rotated signing secret stays valid for an overlap (SIGNING_SECRET_OVERLAP_MS): requests are
 * signed with both meanwhile, so receivers can switch without a moment of refused requests.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('job_org_settings', (t) => {
    t.text('previous_signing_secret_encrypted');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('job_org_settings', (t) => {
    t.dropColumn('previous_signing_secret_encrypted');
  });
}
