import { z } from 'zod';
import { BOOKING_STATES } from './lifecycle.ts';
import { timezoneSchema } from '../availability/timezone.ts';

export const holdRequestSchema = z.object({
  serviceId: z.coerce.number().int().positive(),
  startsAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  /** The customer's zone, as their browser names it (so legacy names pass): their messages use it. */
  timezone: timezoneSchema.optional(),
});

/** A new time for a booking: its start; the booking keeps its length. */
export const rescheduleRequestSchema = z
  .object({ startsAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)) })
  .strict();

export const transitionBodySchema = z
  .object({ note: z.string().trim().max(2000).optional() })
  .strict()
  .default({});

export const bookingListQuerySchema = z.object({
  as: z.enum(['customer', 'provider']).default('customer'),
  state: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',') : []))
    .pipe(z.array(z.enum(BOOKING_STATES))),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ratingSchema = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(2000).default(''),
  })
  .strict();

/** Hold time-to-live: long enough to type notes, short enough not to squat a slot. */
export const HOLD_TTL_MINUTES = 10;
