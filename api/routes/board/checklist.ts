import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { checklistProgress, deleteChecklistItem, findChecklistItem, insertChecklistItem, listChecklist, updateChecklistItem } from '../../../db/repositories/task-checklists.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { createChecklistItemSchema, patchChecklistItemSchema } from '../../../domain/board/requests.ts';
import type { ChecklistItemView } from '../../../domain/board/views.ts';
import { notFound } from '../../http/problem.ts';
import { taskFor } from './access.ts';
import { announceCardEvent } from '../../../db/realtime/card-event.ts';

/**
 * A card's checklist. Ticking an item does not bump the card's version: someone editing the card's
 * text meanwhile is not told it changed. The board hears the new progress for the card's face.
 */
export function checklistRoutes(ctx: AppContext): Router {
  const router = Router();

  async function itemForEditor(user: PrincipalUser, rawId: unknown): Promise<ChecklistItemView & { boardId: number; assigneeId: number | null }> {
    const id = parseNumericId(rawId);
    const item = id === null ? undefined : await findChecklistItem(ctx.db, id);
    if (!item) throw notFound('No such checklist item.');
    const task = await taskFor(ctx, user, item.taskId, 'work');
    return { ...item, boardId: task.boardId, assigneeId: task.assigneeId };
  }

  async function announce(trx: Knex.Transaction, task: { boardId: number; taskId: number; assigneeId: number | null }, change: { item?: ChecklistItemView; deletedId?: number }): Promise<void> {
    const { boardId, taskId } = task;
    await announceCardEvent(trx, boardId, task.assigneeId, 'checklist.changed', { boardId, taskId, checklist: await checklistProgress(trx, taskId), ...change });
  }

  router.get('/tasks/:taskId/checklist', requireUser, async (req, res) => {
    const task = await taskFor(ctx, currentUser(req), req.params.taskId, 'view');
    res.json({ items: await listChecklist(ctx.db, task.id) });
  });

  router.post('/tasks/:taskId/checklist', requireUser, async (req, res) => {
    const { text } = createChecklistItemSchema.parse(req.body);
    const task = await taskFor(ctx, currentUser(req), req.params.taskId, 'work');
    const item = await ctx.db.transaction(async (trx) => {
      const created = await insertChecklistItem(trx, task.id, text);
      await announce(trx, { ...task, taskId: task.id }, { item: created });
      return created;
    });
    res.status(201).json(item);
  });

  router.patch('/checklist-items/:itemId', requireUser, async (req, res) => {
    const changes = patchChecklistItemSchema.parse(req.body);
    const item = await itemForEditor(currentUser(req), req.params.itemId);
    const updated = await ctx.db.transaction(async (trx) => {
      const next = await updateChecklistItem(trx, item.id, changes);
      await announce(trx, item, { item: next });
      return next;
    });
    res.json(updated);
  });

  router.delete('/checklist-items/:itemId', requireUser, async (req, res) => {
    const item = await itemForEditor(currentUser(req), req.params.itemId);
    await ctx.db.transaction(async (trx) => {
      await deleteChecklistItem(trx, item.id);
      await announce(trx, item, { deletedId: item.id });
    });
    res.status(204).end();
  });

  return router;
}
