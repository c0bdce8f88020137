import { z } from 'zod';
import { USER_ROLES } from './roles.ts';

const page = z.coerce.number().int().min(1).max(10_000).default(1);

export const listUsersQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  role: z.enum(USER_ROLES).optional(),
  page,
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const updateUserSchema = z
  .object({ role: z.enum(USER_ROLES).optional(), disabled: z.boolean().optional() })
  .refine((value) => value.role !== undefined || value.disabled !== undefined, 'give role or disabled');

export const AUDIT_PAGE_SIZE = 50;

export const auditQuerySchema = z.object({
  action: z.string().trim().min(1).max(80).optional(),
  actorId: z.coerce.number().int().positive().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  page,
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
