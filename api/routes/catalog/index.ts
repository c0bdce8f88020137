import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { availabilityRoutes } from './availability.ts';
import { calendarFeedRoutes } from './calendars.ts';
import { categoryTreeRoutes } from './categories.ts';
import { providerRoutes } from './providers.ts';
import { SlotCache } from './slot-cache.ts';
import { serviceRoutes } from './services.ts';
import { slotRoutes } from './slots.ts';

/** Catalog and availability under /api/v1: categories, services, providers, their hours and slots. */
export function catalogRoutes(ctx: AppContext, slotCache = new SlotCache()): Router {
  return Router().use(categoryTreeRoutes(ctx), serviceRoutes(ctx), availabilityRoutes(ctx), calendarFeedRoutes(ctx), providerRoutes(ctx), slotRoutes(ctx, slotCache));
}
