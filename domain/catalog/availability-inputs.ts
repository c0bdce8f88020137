/** Inputs of the slot range query and of a provider's availability writes. */
import { z } from 'zod';
import { blockSchema } from '../availability/schemas.ts';
import { timezoneSchema } from '../availability/timezone.ts';

/** About a month: enough for a month view, small enough to answer at once. */
export const MAX_SLOT_RANGE_DAYS = 31;
const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SLOT_RANGE_DAYS = 7;

const instant = z.iso.datetime({ offset: true });

/** `from` defaults to now, `to` to a week after `from`. */
export function slotsQuerySchema(now: Date) {
  return z
    .object({
      serviceId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      from: instant.optional(),
      to: instant.optional(),
      tz: timezoneSchema.optional(),
    })
    .transform(({ from, to, ...rest }) => {
      const start = from ? new Date(from) : now;
      return { ...rest, from: start, to: to ? new Date(to) : new Date(start.getTime() + DEFAULT_SLOT_RANGE_DAYS * DAY_MS) };
    })
    .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })
    .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_SLOT_RANGE_DAYS * DAY_MS, { message: `the range may span at most ${MAX_SLOT_RANGE_DAYS} days`, path: ['to'] });
}

export const nextOpenQuerySchema = z.object({ serviceId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const overrideDateSchema = z.iso.date();

export const providerBlockSchema = blockSchema.and(z.object({ reason: z.string().trim().max(200).default('') }));
export type ProviderBlockInput = z.infer<typeof providerBlockSchema>;
