import type { Request } from 'express';
import type { AppContext } from '../../context.ts';
import type { CatalogViewer } from '../../../domain/catalog/services.ts';
import { findProviderProfile, type ProviderProfile } from '../../../db/repositories/providers.ts';
import { currentUser } from '../../auth/middleware.ts';
import { conflict, forbidden } from '../../http/problem.ts';

/** The signed-in person, or null for anonymous browsing (API keys browse anonymously too). */
export function viewerOf(req: Request): CatalogViewer | null {
  return req.principal?.kind === 'user' ? req.principal.user : null;
}

/** The caller as a provider: 401 signed out, 403 for other roles. */
export function currentProvider(req: Request): CatalogViewer {
  const user = currentUser(req);
  if (user.role !== 'provider') throw forbidden('Only a provider may do this.');
  return user;
}

/** The calling provider's profile; their availability hangs off it, so 409 until they create one. */
export async function currentProviderProfile(ctx: AppContext, req: Request): Promise<ProviderProfile> {
  const provider = currentProvider(req);
  const profile = await findProviderProfile(ctx.db, provider.id);
  if (!profile) throw conflict('Create your provider profile first: PUT /api/v1/providers/me/profile.', { reason: 'profile-missing' });
  return profile;
}
