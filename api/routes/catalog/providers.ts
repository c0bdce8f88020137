import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { providerProfileSchema, ratingMean } from '../../../domain/catalog/provider-profile.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { findProviderProfile, upsertProviderProfile, type ProviderProfile } from '../../../db/repositories/providers.ts';
import { listActiveServicesOf } from '../../../db/repositories/services.ts';
import { notFound } from '../../http/problem.ts';
import { currentProvider } from './viewer.ts';

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
  router.put('/providers/me/profile', async (req, res) => {
    const provider = currentProvider(req);
    const input = providerProfileSchema.parse(req.body);
    const existed = (await findProviderProfile(ctx.db, provider.id)) !== undefined;
    await upsertProviderProfile(ctx.db, provider.id, input);
    res.status(existed ? 200 : 201).json(presentProfile((await findProviderProfile(ctx.db, provider.id))!));
  });

  router.get('/providers/:id', async (req, res) => {
    const id = parseNumericId(req.params.id);
    const profile = id === null ? undefined : await findProviderProfile(ctx.db, id);
    if (!profile?.enabled) throw notFound('No such provider.');
    res.json({ ...presentProfile(profile), services: await listActiveServicesOf(ctx.db, profile.id) });
  });

  return router;
}
