import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { providerProfileSchema, ratingMean } from '../../../domain/catalog/provider-profile.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { becomeProvider, findProviderProfile, upsertProviderProfile, type ProviderProfile } from '../../../db/repositories/providers.ts';
import { listServicesOf } from '../../../db/repositories/services.ts';
import { audit } from '../../auth/audit.ts';
import { currentUser } from '../../auth/middleware.ts';
import { forbidden, notFound } from '../../http/problem.ts';
import { currentProviderProfile } from './viewer.ts';

function presentProfile(profile: ProviderProfile) {
  return {
    id: profile.id,
    name: profile.name,
    timezone: profile.timezone,
    bio: profile.bio,
    responseSlaMinutes: profile.responseSlaMinutes,
    rating: { mean: ratingMean(profile.ratingSum, profile.ratingCount), count: profile.ratingCount },
  };
}

export function providerRoutes(ctx: AppContext): Router {
  const router = Router();

  // Registered before /providers/:id so that "me" is never read as an id.
  router.get('/providers/me/profile', async (req, res) => {
    res.json(presentProfile(await currentProviderProfile(ctx, req)));
  });

  /**
   * A provider's profile, made or changed. A customer who calls it becomes a provider ("I offer
   * services", at sign-up or later): the role and the profile change together. Admins run the
   * site and are not made providers this way.
   */
  router.put('/providers/me/profile', async (req, res) => {
    const user = currentUser(req);
    if (user.role === 'admin') throw forbidden('Administrators do not offer services; use a provider account.');
    const input = providerProfileSchema.parse(req.body);
    const existed = (await findProviderProfile(ctx.db, user.id)) !== undefined;
    if (user.role === 'customer') {
      await becomeProvider(ctx.db, user.id, input);
      await audit(ctx, req, { action: 'provider.become', targetType: 'user', targetId: user.id });
    } else {
      await upsertProviderProfile(ctx.db, user.id, input);
    }
    res.status(existed ? 200 : 201).json(presentProfile((await findProviderProfile(ctx.db, user.id))!));
  });

  router.get('/providers/:id', async (req, res) => {
    const id = parseNumericId(req.params.id);
    const profile = id === null ? undefined : await findProviderProfile(ctx.db, id);
    if (!profile?.enabled) throw notFound('No such provider.');
    res.json({ ...presentProfile(profile), services: await listServicesOf(ctx.db, profile.id) });
  });

  return router;
}
