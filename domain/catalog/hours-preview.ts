import { z } from 'zod';

/** Enough weeks to see the next DST change from most dates, few enough to answer at once. */
export const MAX_PREVIEW_WEEKS = 8;

/** The preview's slot shape: one of the provider's services, or plain hours when they have none yet. */
export const hoursPreviewQuerySchema = z.object({
  serviceId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  weeks: z.coerce.number().int().min(1).max(MAX_PREVIEW_WEEKS).default(2),
});

/** Without a service the preview shows hour slots, the commonest shape. */
export const PREVIEW_DEFAULT_TIMING = { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 } as const;
