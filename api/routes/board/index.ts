import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { boardRoutes } from './boards.ts';
import { columnRoutes } from './columns.ts';
import { taskRoutes } from './tasks.ts';

/** /api/v1: projects, boards, columns and cards. */
export function boardApiRoutes(ctx: AppContext): Router {
  return Router().use(boardRoutes(ctx), columnRoutes(ctx), taskRoutes(ctx));
}
