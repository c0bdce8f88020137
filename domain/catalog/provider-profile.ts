import { z } from 'zod';
import { canonicalTimezoneSchema } from '../availability/timezone.ts';

/** A provider's own profile; their weekly hours are read in `timezone`. `name` is their display name (the account's name). */
export const providerProfileSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(120).optional(),
  timezone: canonicalTimezoneSchema,
  bio: z.string().trim().max(4000).default(''),
  responseSlaMinutes: z.int().min(5).max(7 * 24 * 60).default(24 * 60),
});
export type ProviderProfileInput = z.infer<typeof providerProfileSchema>;

/** The mean of 1–5 scores to two decimals; null before the first rating. */
export function ratingMean(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum / count) * 100) / 100;
}
