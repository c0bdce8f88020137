import { z } from 'zod';
import { MAIL_KINDS } from './mail-kind.ts';

/** The dev outbox's filters: one recipient, one kind, words in the subject or text; newest first. */
export const outboxQuerySchema = z.object({
  to: z.string().trim().min(1).max(320).optional(),
  kind: z.enum(MAIL_KINDS).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;
