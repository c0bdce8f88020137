import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { createCategorySchema, slugify, updateCategorySchema, wouldCreateCycle } from '../../domain/identity/categories.ts';
import { parseNumericId } from '../../domain/identity/ids.ts';
import {
  categoryParents,
  deleteCategory,
  findCategory,
  hasChildCategories,
  insertCategory,
  listCategories,
  slugTaken,
  updateCategory,
} from '../../db/repositories/categories.ts';
import { audit } from '../auth/audit.ts';
import { requireAdmin } from '../auth/middleware.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';

const invalidParent = (message: string) =>
  new Problem(422, 'validation', 'Invalid input', `parentId: ${message}`, { errors: [{ path: 'parentId', message }] });

/** The marketplace's service category tree, managed by admins. */
export function categoryRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/admin/categories', requireAdmin);

  async function assertSlugFree(slug: string, exceptId?: number): Promise<void> {
    if (await slugTaken(ctx.db, slug, exceptId)) throw conflict(`The slug "${slug}" is taken.`, { code: 'slug-taken' });
  }

  router.get('/admin/categories', async (_req, res) => {
    res.json(await listCategories(ctx.db));
  });

  router.post('/admin/categories', async (req, res) => {
    const input = createCategorySchema.parse(req.body);
    const slug = input.slug ?? slugify(input.name);
    if (input.parentId !== null && !(await findCategory(ctx.db, input.parentId))) throw invalidParent('no such category');
    await assertSlugFree(slug);
    const category = await insertCategory(ctx.db, { name: input.name, slug, parentId: input.parentId });
    await audit(ctx, req, { action: 'category.created', targetType: 'category', targetId: category.id, details: { name: category.name } });
    res.status(201).json(category);
  });

  router.patch('/admin/categories/:id', async (req, res) => {
    const id = parseNumericId(req.params.id);
    if (id === null || !(await findCategory(ctx.db, id))) throw notFound('No such category.');
    const change = updateCategorySchema.parse(req.body);
    if (change.parentId != null) {
      if (!(await findCategory(ctx.db, change.parentId))) throw invalidParent('no such category');
      if (wouldCreateCycle(id, change.parentId, await categoryParents(ctx.db))) throw invalidParent('a category cannot sit below itself');
    }
    if (change.slug) await assertSlugFree(change.slug, id);
    const category = (await updateCategory(ctx.db, id, change))!;
    await audit(ctx, req, { action: 'category.updated', targetType: 'category', targetId: id, details: change });
    res.json(category);
  });

  router.delete('/admin/categories/:id', async (req, res) => {
    const id = parseNumericId(req.params.id);
    if (id === null || !(await findCategory(ctx.db, id))) throw notFound('No such category.');
    if (await hasChildCategories(ctx.db, id)) throw conflict('Move or delete its sub-categories first.', { code: 'has-children' });
    await deleteCategory(ctx.db, id);
    await audit(ctx, req, { action: 'category.deleted', targetType: 'category', targetId: id });
    res.status(204).end();
  });

  return router;
}
