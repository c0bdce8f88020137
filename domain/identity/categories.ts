import { z } from 'zod';

const slug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by dashes');

export const createCategorySchema = z.object({
  name: z.string().trim().min(1, 'is required').max(80),
  slug: slug.optional(),
  parentId: z.number().int().positive().nullable().default(null),
});

export const updateCategorySchema = z
  .object({ name: z.string().trim().min(1).max(80).optional(), slug: slug.optional(), parentId: z.number().int().positive().nullable().optional() })
  .refine((value) => Object.values(value).some((v) => v !== undefined), 'give name, slug or parentId');

/** "Home Cleaning & Repairs" -> "home-cleaning-repairs". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'category';
}

/** True when making `parentId` the parent of `id` would close a loop; `parentOf` walks the existing tree. */
export function wouldCreateCycle(id: number, parentId: number | null, parentOf: ReadonlyMap<number, number | null>): boolean {
  for (let current = parentId; current !== null; current = parentOf.get(current) ?? null) {
    if (current === id) return true;
  }
  return false;
}
