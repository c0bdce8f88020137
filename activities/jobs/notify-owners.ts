import type { Db } from '../../db/connection.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { findJobById } from '../../db/repositories/jobs.ts';
import { listJobNotificationEmails } from '../../db/repositories/jobs-settings.ts';
import { noticeHeadline, noticeText, webhookPayload, type JobNotice } from '../../domain/jobs/notification-message.ts';
import type { OutboundClient } from '../../runtime/outbound-http.ts';
import type { Keyring } from '../../domain/jobs/secret-box.ts';
import { signingSecretOf } from '../../db/repositories/job-signing-secrets.ts';
import { CRON_USER_AGENT, SIGNATURE_HEADER } from '../../runtime/cron-request.ts';
import { jobSignatureHeader } from '../../domain/signing/job-request-signature.ts';
import type { JobNotification } from './types.ts';
import { notificationTargets } from '../../domain/jobs/job-notifications.ts';

export interface NotifyDeps {
  db: Db;
  mailer: Mailer;
  http: OutboundClient;
  publicUrl: string | null;
  /** Opens the organization's signing secret, which signs the webhook as it signs job requests. */
  keyring: () => Promise<Keyring>;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

export function createNotifyActivity({ db, mailer, http, publicUrl, keyring }: NotifyDeps) {
  return {
    /**
     * Email to the organization's owners and admins (unless turned off) and a POST to its webhook
     * URL (the job's own settings over the organization's) (Slack or Discord shaped when it is theirs). Mail is keyed per run and kind, so a retry
     * sends nothing twice; a webhook that does not answer 2xx fails the activity, which retries.
     * The webhook is signed as the job's own requests are, so its receiver can check it the same way.
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
      const body = JSON.stringify(webhookPayload(webhookUrl, notice));
      const secret = await signingSecretOf(db, await keyring(), job.organization_id);
      const result = await http.send({
        url: webhookUrl,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': CRON_USER_AGENT,
          'x-pulseboard-job-id': String(job.id),
          [SIGNATURE_HEADER]: jobSignatureHeader({ method: 'POST', url: webhookUrl, body: Buffer.from(body, 'utf8') }, Math.floor(Date.now() / 1000), [secret]),
        },
        body,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
      });
      if (result.kind !== 'response' || result.statusCode < 200 || result.statusCode > 299) {
        throw new Error(`notification webhook failed: ${result.kind === 'response' ? `HTTP ${result.statusCode}` : result.kind}`);
      }
    },
  };
}
