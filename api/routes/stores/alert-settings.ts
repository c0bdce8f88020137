import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { notFound } from '../../http/problem.ts';
import { alertSettingsInputSchema } from '../../../domain/stores/alert-delivery.ts';
import { alertSettingsOf, foreignOrganizations, saveAlertSettings } from '../../../db/repositories/alert-settings.ts';

/**
 * `/me/alert_settings`: which store alerts email the signed-in person, at once, in their daily
 * digest or not at all, per organization they belong to, and when their digest comes. Each
 * person reads and writes only their own (no user id in the path to get wrong); an API key acts
 * for an organization, not a person, and is refused. An organization they are not in is a 404,
 * as everywhere: it does not exist for them.
 */
export function alertSettingsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/me/alert_settings', requireUser, async (req, res) => {
    res.json(await alertSettingsOf(ctx.db, currentUser(req).id));
  });

  router.put('/me/alert_settings', requireUser, async (req, res) => {
    const userId = currentUser(req).id;
    const input = alertSettingsInputSchema.parse(req.body);
    const [foreign] = await foreignOrganizations(ctx.db, userId, (input.organizations ?? []).map((o) => o.organizationId));
    if (foreign !== undefined) throw notFound(`No organization ${foreign} among yours.`);
    await saveAlertSettings(ctx.db, userId, input);
    res.json(await alertSettingsOf(ctx.db, userId));
  });

  return router;
}
