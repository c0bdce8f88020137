import type { Knex } from 'knex';
import type { Db } from '../connection.ts';

type Queryable = Db | Knex.Transaction;

export interface JobSettingsRow {
  organization_id: number;
  notify_email: boolean;
  notify_webhook_url: string | null;
  signing_secret_encrypted: string;
  /** The secret before the last rotation: still signs requests during the overlap (domain/jobs/signing-overlap.ts). */
  previous_signing_secret_encrypted: string | null;
  signing_secret_rotated_at: Date;
  updated_at: Date;
}

/** The organization's settings, created with a new sealed secret the first time anyone asks. */
export async function ensureJobSettings(db: Queryable, organizationId: number, sealNewSecret: () => string): Promise<JobSettingsRow> {
  const existing = await db<JobSettingsRow>('job_org_settings').where({ organization_id: organizationId }).first();
  if (existing) return existing;
  await db('job_org_settings').insert({ organization_id: organizationId, signing_secret_encrypted: sealNewSecret() }).onConflict('organization_id').ignore();
  return (await db<JobSettingsRow>('job_org_settings').where({ organization_id: organizationId }).first())!;
}

export async function updateNotificationTargets(db: Queryable, organizationId: number, targets: { notifyEmail?: boolean; notifyWebhookUrl?: string | null }): Promise<void> {
  const changes: Record<string, unknown> = { updated_at: db.fn.now() };
  if (targets.notifyEmail !== undefined) changes.notify_email = targets.notifyEmail;
  if (targets.notifyWebhookUrl !== undefined) changes.notify_webhook_url = targets.notifyWebhookUrl;
  await db('job_org_settings').where({ organization_id: organizationId }).update(changes);
}

export async function replaceSigningSecret(db: Queryable, organizationId: number, sealed: string): Promise<JobSettingsRow> {
  const [row]: JobSettingsRow[] = await db('job_org_settings')
    .where({ organization_id: organizationId })
    // The right-hand side reads the row as it was: the current secret becomes the previous one.
    .update({ previous_signing_secret_encrypted: db.ref('signing_secret_encrypted'), signing_secret_encrypted: sealed, signing_secret_rotated_at: db.fn.now(), updated_at: db.fn.now() })
    .returning('*');
  return row;
}

/** Owners and admins: who hears about a failing job by email. */
export async function listJobNotificationEmails(db: Queryable, organizationId: number): Promise<string[]> {
  return db('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.organization_id', organizationId)
    .whereIn('memberships.role', ['owner', 'admin'])
    .whereNull('users.disabled_at')
    .orderBy('users.id')
    .pluck('users.email');
}
