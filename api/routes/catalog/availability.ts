import { Router } from 'express';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import { dateOverrideSchema, weeklyTemplateSchema } from '../../../domain/availability/schemas.ts';
import { overrideDateSchema, providerBlockSchema } from '../../../domain/catalog/availability-inputs.ts';
import { hoursPreviewQuerySchema, PREVIEW_DEFAULT_TIMING } from '../../../domain/catalog/hours-preview.ts';
import { previewDays } from '../../../domain/availability/hours-preview.ts';
import { presentSlot } from '../../../domain/availability/present-slot.ts';
import { findService } from '../../../db/repositories/services.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import {
  deleteOverride,
  deleteProviderBlock,
  insertProviderBlock,
  listBlocks,
  listOverrides,
  putOverride,
  readWeeklyTemplate,
  replaceWeeklyTemplate,
  slotsInRange,
} from '../../../db/repositories/availability.ts';
import { notFound } from '../../http/problem.ts';
import { currentProviderProfile } from './viewer.ts';

/** Blocks are listed this far ahead; further ones are rare and still shape the slots. */
const BLOCKS_AHEAD_DAYS = 366;

/** A provider's own weekly hours, date overrides and blocks, all under /providers/me. */
export function availabilityRoutes(ctx: AppContext): Router {
  const router = Router();

  /** From today in the provider's timezone on: what is past no longer matters to them. */
  router.get('/providers/me/availability', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const now = new Date();
    const today = DateTime.fromJSDate(now, { zone: profile.timezone }).toFormat('yyyy-MM-dd');
    const [template, overrides, blocks] = await Promise.all([
      readWeeklyTemplate(ctx.db, profile.id),
      listOverrides(ctx.db, profile.id, today),
      listBlocks(ctx.db, profile.id, now, new Date(now.getTime() + BLOCKS_AHEAD_DAYS * 86_400_000)),
    ]);
    res.json({ timezone: profile.timezone, template, overrides, blocks });
  });

  /**
   * The open slots of the next weeks as customers will see them, from today in the provider's
   * zone: the editor shows it after each save, DST changes included. Generated from the stored
   * hours, overrides, blocks and bookings, so it is exactly what the slot grid offers.
   */
  router.get('/providers/me/availability/preview', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const query = hoursPreviewQuerySchema.parse(req.query);
    const service = query.serviceId === undefined ? undefined : await findService(ctx.db, query.serviceId);
    if (query.serviceId !== undefined && service?.providerId !== profile.id) throw notFound('No such service of yours.');
    const today = DateTime.now().setZone(profile.timezone).startOf('day');
    const days = query.weeks * 7;
    const from = today.toJSDate();
    const to = today.plus({ days }).toJSDate();
    const { slots } = await slotsInRange(ctx.db, { providerId: profile.id, providerTimezone: profile.timezone, ...(service ?? PREVIEW_DEFAULT_TIMING) }, from, to, new Date());
    const now = Date.now();
    const upcoming = slots.filter((slot) => Date.parse(slot.start) >= now).map((slot) => presentSlot(slot, profile.timezone));
    res.json({ timezone: profile.timezone, days: previewDays(upcoming, today.toFormat('yyyy-MM-dd'), days, profile.timezone) });
  });

  router.put('/providers/me/availability/template', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    await replaceWeeklyTemplate(ctx.db, profile.id, weeklyTemplateSchema.parse(req.body));
    res.json({ timezone: profile.timezone, template: await readWeeklyTemplate(ctx.db, profile.id) });
  });

  /** Body `{ closed: true }` or `{ intervals: [...] }`; the date (the provider's local date) is the path's. */
  router.put('/providers/me/availability/overrides/:date', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const override = dateOverrideSchema.parse({ ...(typeof req.body === 'object' ? req.body : {}), date: overrideDateSchema.parse(req.params.date) });
    await putOverride(ctx.db, profile.id, override);
    res.json(override);
  });

  router.delete('/providers/me/availability/overrides/:date', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const date = overrideDateSchema.safeParse(req.params.date);
    if (!date.success || !(await deleteOverride(ctx.db, profile.id, date.data))) throw notFound('No override on that date.');
    res.status(204).end();
  });

  router.post('/providers/me/blocks', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const block = await insertProviderBlock(ctx.db, profile.id, providerBlockSchema.parse(req.body));
    res.status(201).json(block);
  });

  router.delete('/providers/me/blocks/:id', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const id = parseNumericId(req.params.id);
    if (id === null || !(await deleteProviderBlock(ctx.db, profile.id, id))) throw notFound('No such block of yours.');
    res.status(204).end();
  });

  return router;
}
