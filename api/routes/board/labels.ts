import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { deleteLabel, findLabel, insertLabel, listLabels, updateLabel } from '../../../db/repositories/board-labels.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { createLabelSchema, patchLabelSchema } from '../../../domain/board/requests.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import type { LabelView } from '../../../domain/board/views.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { boardFor } from './access.ts';

/**
 * A board's labels, each with a colour. Renaming one renames it on every card, removing it takes it
 * off them; viewers are told with `labels.changed` and read the board again (a rare change).
 */
export function labelRoutes(ctx: AppContext): Router {
  const router = Router();
  const taken = () => conflict('The board has a label of that name already.');
  const announce = (trx: Knex.Transaction, boardId: number) => publish(trx, `board:${boardId}`, 'labels.changed', { boardId });

  async function labelForEditor(user: PrincipalUser, rawId: unknown): Promise<LabelView> {
    const id = parseNumericId(rawId);
    const label = id === null ? undefined : await findLabel(ctx.db, id);
    if (!label) throw notFound('No such label.');
    await boardFor(ctx, user, label.boardId, 'edit');
    return label;
  }

  router.get('/boards/:boardId/labels', requireUser, async (req, res) => {
    const board = await boardFor(ctx, currentUser(req), req.params.boardId, 'view');
    res.json({ items: await listLabels(ctx.db, board.id) });
  });

  router.post('/boards/:boardId/labels', requireUser, async (req, res) => {
    const input = createLabelSchema.parse(req.body);
    const board = await boardFor(ctx, currentUser(req), req.params.boardId, 'edit');
    const label = await ctx.db.transaction(async (trx) => {
      const created = await insertLabel(trx, board.id, input);
      if (created) await announce(trx, board.id);
      return created;
    });
    if (!label) throw taken();
    res.status(201).json(label);
  });

  router.patch('/labels/:labelId', requireUser, async (req, res) => {
    const changes = patchLabelSchema.parse(req.body);
    const label = await labelForEditor(currentUser(req), req.params.labelId);
    const updated = await ctx.db.transaction(async (trx) => {
      const next = await updateLabel(trx, label, changes);
      if (next) await announce(trx, label.boardId);
      return next;
    });
    if (!updated) throw taken();
    res.json(updated);
  });

  router.delete('/labels/:labelId', requireUser, async (req, res) => {
    const label = await labelForEditor(currentUser(req), req.params.labelId);
    await ctx.db.transaction(async (trx) => {
      await deleteLabel(trx, label);
      await announce(trx, label.boardId);
    });
    res.status(204).end();
  });

  return router;
}
