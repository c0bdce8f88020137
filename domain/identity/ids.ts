import { z } from 'zod';

/** A numeric id from a path segment; anything else is a 404, not a 500 from the database. */
export const numericIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function parseNumericId(value: unknown): number | null {
  const parsed = numericIdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
