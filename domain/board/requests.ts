import { z } from 'zod';
import { numericIdSchema } from '../identity/ids.ts';
import { BOARD_MEMBER_ROLES } from './access.ts';

/** Request bodies of the board API, parsed before anything uses them. */

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

const title = z.string().trim().min(1, 'A title is needed.').max(200);
const description = z.string().max(10_000);
const labels = z.array(z.string().trim().min(1).max(40)).max(20).transform((list) => [...new Set(list)]);
const version = z.number().int().positive();
const optionalId = numericIdSchema.nullable();

/** Where a card goes: a column, and optionally the card it follows or precedes there. */
const placement = {
  columnId: numericIdSchema,
  afterId: numericIdSchema.optional(),
  beforeId: numericIdSchema.optional(),
};

export const createTaskSchema = z.object({
  ...placement,
  title,
  description: description.default(''),
  assigneeId: optionalId.default(null),
  priority: z.enum(TASK_PRIORITIES).default('normal'),
  dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  labels: labels.default([]),
});

export const taskFieldsSchema = z.object({
  title: title.optional(),
  description: description.optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  labels: labels.optional(),
});
export type TaskFields = z.infer<typeof taskFieldsSchema>;

/** PATCH /tasks/:id: fields, an assignee and/or a move, all on the version the client saw. */
export const patchTaskSchema = taskFieldsSchema.extend({
  version,
  assigneeId: optionalId.optional(),
  columnId: numericIdSchema.optional(),
  afterTaskId: numericIdSchema.optional(),
  beforeTaskId: numericIdSchema.optional(),
});

export const reorderSchema = z.object({ taskId: numericIdSchema, version, ...placement });
export type ReorderRequest = z.infer<typeof reorderSchema>;

export const assignSchema = z.object({ taskId: numericIdSchema, assigneeId: optionalId, version });

export const deleteTaskSchema = z.object({ version: z.coerce.number().int().positive() });

const wipLimit = z.number().int().min(1).max(999).nullable();

export const createColumnSchema = z.object({
  name: z.string().trim().min(1).max(60),
  wipLimit: wipLimit.default(null),
  afterColumnId: numericIdSchema.optional(),
});

export const patchColumnSchema = z.object({
  name: z.string().trim().min(1).max(60).optional(),
  wipLimit: wipLimit.optional(),
  afterColumnId: numericIdSchema.nullable().optional(),
});

export const createProjectSchema = z.object({ name: z.string().trim().min(1).max(120) });

export const createCommentSchema = z.object({ body: z.string().trim().min(1, 'A comment needs some text.').max(5_000) });

const checklistText = z.string().trim().min(1, 'An item needs some text.').max(300);
export const createChecklistItemSchema = z.object({ text: checklistText });
export const patchChecklistItemSchema = z
  .object({ text: checklistText.optional(), done: z.boolean().optional() })
  .refine((body) => body.text !== undefined || body.done !== undefined, 'Send text or done.');

export const createBoardSchema = z.object({
  name: z.string().trim().min(1).max(120),
  /** The organization that owns the board (its members work on it); the caller must belong to it. Absent: the caller's own. */
  organizationId: numericIdSchema.nullable().default(null),
});

export const patchBoardSchema = z
  .object({ name: z.string().trim().min(1).max(120).optional(), archived: z.boolean().optional() })
  .refine((body) => body.name !== undefined || body.archived !== undefined, 'Send name or archived.');

export const listBoardsQuerySchema = z.object({ archived: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });

export const putBoardMemberSchema = z.object({ role: z.enum(BOARD_MEMBER_ROLES) });

/** The colours a label may have (daisyUI's badge colours, so they read in light and dark themes). */
export const LABEL_COLORS = ['neutral', 'primary', 'secondary', 'accent', 'info', 'success', 'warning', 'error'] as const;
const labelName = z.string().trim().min(1).max(40);
export const createLabelSchema = z.object({ name: labelName, color: z.enum(LABEL_COLORS).default('neutral') });
export const patchLabelSchema = z
  .object({ name: labelName.optional(), color: z.enum(LABEL_COLORS).optional() })
  .refine((body) => body.name !== undefined || body.color !== undefined, 'Send name or color.');
