import type { Db } from '../../db/connection.ts';
import type { Mailer } from '../email/mailer.ts';
import { findJobById } from '../../db/repositories/jobs.ts';
import { listJobNotificationEmails } from '../../db/repositories/jobs-settings.ts';
import { noticeHeadline, noticeText, webhookPayload, type JobNotice } from '../../domain/jobs/notification-message.ts';
import type { OutboundClient } from './outbound-request.ts';
import type { JobNotification } from './types.ts';
import { notificationTargets } from '../../domain/jobs/job-notifications.ts';

export interface NotifyDeps {
  db: Db;
  mailer: Mailer;
  http: OutboundClient;
  publicUrl: string | null;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

export function createNotifyActivity({ db, mailer, http, publicUrl }: NotifyDeps) {
  return {
    /**
     * Email to the organization's owners and admins (unless turned off) and a POST to its webhook
     * URL (the job's own settings over the organization's) (Slack or Discord shaped when it is theirs). Mail is keyed per run and kind, so a retry
     * sends nothing twice; a webhook that does not answer 2xx fails the activity, which retries.
     */
    async notifyJobOwners(notification: JobNotification): Promise<void> {
      const job = await findJobById(db, notification.jobId);
      if (!job) return;
      const settings = await db('job_org_settings').where({ organization_id: job.organization_id }).first('notify_email', 'notify_webhook_url');
      const notice: JobNotice = {
        kind: notification.kind,
        jobName: job.name,
        jobKey: job.key,
        url: job.url,
        consecutiveFailures: notification.consecutiveFailures,
        error: notification.error,
        link: publicUrl && `${publicUrl}/orgs/${job.organization_id}/jobs/${job.id}`,
      };
      const targets = notificationTargets(job.notifications, { notifyEmail: settings?.notify_email ?? true, notifyWebhookUrl: settings?.notify_webhook_url ?? null });
      if (targets.email) {
        for (const to of await listJobNotificationEmails(db, job.organization_id)) {
          await mailer.send({ to, subject: noticeHeadline(notice), text: noticeText(notice), idempotencyKey: `job-${job.id}-${notification.runId}-${notification.kind}-${to}` });
        }
      }
      const webhookUrl = targets.webhookUrl;
      if (!webhookUrl) return;
      const result = await http.send({
        url: webhookUrl,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookPayload(webhookUrl, notice)),
        timeoutMs: WEBHOOK_TIMEOUT_MS,
      });
      if (result.kind !== 'response' || result.statusCode < 200 || result.statusCode > 299) {
        throw new Error(`notification webhook failed: ${result.kind === 'response' ? `HTTP ${result.statusCode}` : result.kind}`);
      }
    },
  };
}
