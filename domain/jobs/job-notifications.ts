/**
 * Who hears about one job's failures and recovery, over the organization's defaults: `email`
 * true or false (null: as the organization says), `webhookUrl` a URL of its own, false for none
 * (null: the organization's webhook).
 */
import { z } from 'zod';

export const jobNotificationsSchema = z
  .object({
    email: z.boolean().nullable().default(null),
    webhookUrl: z.union([z.url({ protocol: /^https?$/, message: 'expected an http or https URL' }).max(2048), z.literal(false)]).nullable().default(null),
  })
  .strict();
export type JobNotifications = z.infer<typeof jobNotificationsSchema>;

export const DEFAULT_JOB_NOTIFICATIONS: JobNotifications = { email: null, webhookUrl: null };

/** The targets for one job's notices: its own settings where it has them, else the organization's. */
export function notificationTargets(job: JobNotifications, organization: { notifyEmail: boolean; notifyWebhookUrl: string | null }): { email: boolean; webhookUrl: string | null } {
  return {
    email: job.email ?? organization.notifyEmail,
    webhookUrl: job.webhookUrl === false ? null : (job.webhookUrl ?? organization.notifyWebhookUrl),
  };
}
