import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { updateNotificationTargets, type JobSettingsRow } from '../../../db/repositories/jobs-settings.ts';
import { jobSettingsPatchSchema } from '../../../domain/jobs/requests.ts';
import { open } from '../../../domain/jobs/secret-box.ts';
import { jobSecretKeyring, jobSettingsFor, rotateSigningSecret, secretFingerprint } from '../../../db/repositories/job-signing-secrets.ts';
import { previousValidUntil } from '../../../domain/jobs/signing-overlap.ts';
import { audit } from '../../auth/audit.ts';
import { assertTargetsAllowed } from '../../http/outbound-targets.ts';
import { orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';

const MANAGERS = ['owner', 'admin'] as const;

/**
 * Notification targets and the signing secret. Anyone in the organization sees the targets and
 * the secret's fingerprint; only owners and admins, signed in as themselves, change them or see
 * the secret (an API key cannot: a leaked key must not leak the secret too).
 */
const overlapOf = (row: JobSettingsRow) => previousValidUntil({ previous: row.previous_signing_secret_encrypted, rotatedAt: row.signing_secret_rotated_at }, new Date())?.toISOString() ?? null;

export function jobSettingsRoutes(ctx: AppContext): Router {
  const router = Router();
  const member = requireOrgRole(ctx, ['owner', 'admin', 'member'], { allowApiKey: true });
  const manager = requireOrgRole(ctx, MANAGERS);
  const keyring = () => jobSecretKeyring(ctx.db, ctx.config);

  const settingsOf = async (organizationId: number) => jobSettingsFor(ctx.db, await keyring(), organizationId);

  async function view(row: JobSettingsRow) {
    return {
      notifyEmail: row.notify_email,
      notifyWebhookUrl: row.notify_webhook_url,
      signingSecret: {
        fingerprint: secretFingerprint(open(await keyring(), row.signing_secret_encrypted)),
        rotatedAt: row.signing_secret_rotated_at.toISOString(),
        /** Until then requests are signed with the previous secret too (null: no overlap running). */
        previousValidUntil: overlapOf(row),
      },
    };
  }

  router.get('/orgs/:orgId/job_settings', member, async (req, res) => {
    res.json(await view(await settingsOf(orgAccessOf(req).organizationId)));
  });

  router.patch('/orgs/:orgId/job_settings', manager, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const patch = jobSettingsPatchSchema.parse(req.body);
    if (patch.notifyWebhookUrl) assertTargetsAllowed(ctx.config, [{ path: ['notifyWebhookUrl'], url: patch.notifyWebhookUrl }]);
    await settingsOf(organizationId);
    await updateNotificationTargets(ctx.db, organizationId, patch);
    res.json(await view(await settingsOf(organizationId)));
  });

  router.post('/orgs/:orgId/job_settings/signing_secret/reveal', manager, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const row = await settingsOf(organizationId);
    await audit(ctx, req, { action: 'job_signing_secret.revealed', targetType: 'organization', targetId: String(organizationId), organizationId });
    res.set('Cache-Control', 'no-store').json({ signingSecret: open(await keyring(), row.signing_secret_encrypted) });
  });

  router.post('/orgs/:orgId/job_settings/signing_secret/rotate', manager, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const secret = await rotateSigningSecret(ctx.db, await keyring(), organizationId);
    await audit(ctx, req, { action: 'job_signing_secret.rotated', targetType: 'organization', targetId: String(organizationId), organizationId });
    res.set('Cache-Control', 'no-store').json({ signingSecret: secret, previousValidUntil: overlapOf(await settingsOf(organizationId)) });
  });

  return router;
}
