import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { listCategories } from '../../../db/repositories/categories.ts';
import { categoryTree } from '../../../domain/catalog/category-tree.ts';

/** The category tree for browsing; admins manage it under /admin/categories. */
export function categoryTreeRoutes(ctx: AppContext): Router {
  return Router().get('/categories', async (_req, res) => {
    res.json(categoryTree(await listCategories(ctx.db)));
  });
}
