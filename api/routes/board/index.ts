import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { createMailer } from '../../../runtime/mail/mailer.ts';
import { boardRoutes } from './boards.ts';
import { checklistRoutes } from './checklist.ts';
import { columnRoutes } from './columns.ts';
import { commentRoutes } from './comments.ts';
import { labelRoutes } from './labels.ts';
import { memberRoutes } from './members.ts';
import { taskRoutes } from './tasks.ts';

/** /api/v1: projects, boards and their members and labels, columns and cards, and each card's comments, checklist and log. */
export function boardApiRoutes(ctx: AppContext): Router {
  const mailer = ctx.mailer ?? createMailer(ctx.config, ctx.db);
  return Router().use(boardRoutes(ctx), columnRoutes(ctx), taskRoutes(ctx), commentRoutes(ctx, mailer), checklistRoutes(ctx), memberRoutes(ctx), labelRoutes(ctx));
}
