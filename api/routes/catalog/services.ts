import { Router, type Request } from 'express';
import type { AppContext } from '../../context.ts';
import { createServiceSchema, mayManageService, mayViewService, searchServicesSchema, serviceOrderSchema, updateServiceSchema } from '../../../domain/catalog/services.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { findCategory } from '../../../db/repositories/categories.ts';
import { findProviderProfile } from '../../../db/repositories/providers.ts';
import { findService, insertService, listServicesOf, reorderServices, searchServices, updateService, type ServiceRecord } from '../../../db/repositories/services.ts';
import type { ServiceView } from '../../../domain/catalog/service-view.ts';
import { currentUser } from '../../auth/middleware.ts';
import { forbidden, notFound, Problem } from '../../http/problem.ts';
import { currentProviderProfile, viewerOf } from './viewer.ts';

/** A body field naming something that does not exist: the same 422 shape zod errors get. */
function unknownReference(path: string, message: string): Problem {
  return new Problem(422, 'validation', 'Invalid input', `${path}: ${message}`, { errors: [{ path, message }] });
}

const toPublic = ({ providerEnabled: _enabled, providerTimezone: _tz, ...view }: ServiceRecord): ServiceView => view;

export function serviceRoutes(ctx: AppContext): Router {
  const router = Router();

  async function assertCategoryExists(categoryId: number | null | undefined): Promise<void> {
    if (categoryId && !(await findCategory(ctx.db, categoryId))) throw unknownReference('categoryId', 'no such category');
  }

  /** The service behind `:id` as the caller may see it; 404 for what they may not. */
  async function visibleService(req: Request): Promise<ServiceRecord> {
    const id = parseNumericId(req.params.id);
    const service = id === null ? undefined : await findService(ctx.db, id);
    if (!service || !mayViewService(viewerOf(req), service)) throw notFound('No such service.');
    return service;
  }

  /** The service behind `:id` for a change: 401 signed out, 404 unknown, 403 someone else's. */
  async function manageableService(req: Request): Promise<ServiceRecord> {
    const user = currentUser(req);
    const service = await visibleService(req);
    if (!mayManageService(user, service.providerId)) throw forbidden('Only the service’s provider or an admin may change it.');
    return service;
  }

  router.get('/services', async (req, res) => {
    const search = searchServicesSchema.parse(req.query);
    res.json({ ...(await searchServices(ctx.db, search)), page: search.page, pageSize: search.pageSize });
  });

  /** The caller's own services in their order, archived ones included (they may restore them). */
  router.get('/providers/me/services', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    res.json({ items: await listServicesOf(ctx.db, profile.id, { includeArchived: true }) });
  });

  router.put('/providers/me/services/order', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const { ids } = serviceOrderSchema.parse(req.body);
    if (!(await reorderServices(ctx.db, profile.id, ids))) throw unknownReference('ids', 'name each of your services exactly once');
    res.json({ items: await listServicesOf(ctx.db, profile.id, { includeArchived: true }) });
  });

  router.get('/services/:id', async (req, res) => {
    res.json(toPublic(await visibleService(req)));
  });

  router.post('/services', async (req, res) => {
    const user = currentUser(req);
    const input = createServiceSchema.parse(req.body);
    const providerId = input.providerId ?? user.id;
    if (!mayManageService(user, providerId)) throw forbidden('Providers create their own services; admins may name a provider.');
    if (!(await findProviderProfile(ctx.db, providerId))) throw unknownReference('providerId', 'this person has no provider profile yet');
    await assertCategoryExists(input.categoryId);
    const id = await insertService(ctx.db, providerId, input);
    res.status(201).location(`/api/v1/services/${id}`).json(toPublic((await findService(ctx.db, id))!));
  });

  router.patch('/services/:id', async (req, res) => {
    const service = await manageableService(req);
    const change = updateServiceSchema.parse(req.body);
    await assertCategoryExists(change.categoryId);
    await updateService(ctx.db, service.id, change);
    res.json(toPublic((await findService(ctx.db, service.id))!));
  });

  /** Deactivates: existing bookings keep their service, new ones cannot be made. */
  router.delete('/services/:id', async (req, res) => {
    const service = await manageableService(req);
    await updateService(ctx.db, service.id, { active: false });
    res.status(204).end();
  });

  return router;
}
