import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { countColumnTasks, deleteColumn, insertColumn, updateColumn } from '../../../db/repositories/boards.ts';
import { lockColumn } from '../../../db/repositories/tasks.ts';
import { createColumnSchema, patchColumnSchema } from '../../../domain/board/requests.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { conflict, Problem } from '../../http/problem.ts';
import { boardForEditor, columnForEditor } from './access.ts';
import { announceColumn } from './announce.ts';

const noSuchNeighbour = () => new Problem(422, 'validation', 'Invalid input', 'afterColumnId: no such column on this board.');

/** Columns: add, rename, set a WIP limit, reorder, remove (when empty and not a booking state's). */
export function columnRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/boards/:boardId/columns', requireUser, async (req, res) => {
    const input = createColumnSchema.parse(req.body);
    const board = await boardForEditor(ctx, currentUser(req), req.params.boardId);
    const column = await ctx.db.transaction(async (trx) => {
      const created = await insertColumn(trx, board.id, input);
      if (created) await announceColumn(trx, 'column.created', created);
      return created;
    });
    if (!column) throw noSuchNeighbour();
    res.status(201).json(column);
  });

  router.patch('/columns/:columnId', requireUser, async (req, res) => {
    const changes = patchColumnSchema.parse(req.body);
    const column = await columnForEditor(ctx, currentUser(req), req.params.columnId);
    const updated = await ctx.db.transaction(async (trx) => {
      const next = await updateColumn(trx, column, changes);
      if (next) await announceColumn(trx, 'column.updated', next);
      return next;
    });
    if (!updated) throw noSuchNeighbour();
    res.json(updated);
  });

  router.delete('/columns/:columnId', requireUser, async (req, res) => {
    const column = await columnForEditor(ctx, currentUser(req), req.params.columnId);
    if (column.bookingState) throw conflict('Bookings land in this column: it stays, though you may rename it.');
    await ctx.db.transaction(async (trx) => {
      await lockColumn(trx, column.id); // a card moving in now waits, then finds the column gone
      if ((await countColumnTasks(trx, column.id)) > 0) throw conflict('Move or delete the cards in this column first.');
      await deleteColumn(trx, column.id);
      await publish(trx, `board:${column.boardId}`, 'column.deleted', { boardId: column.boardId, columnId: column.id });
    });
    res.status(204).end();
  });

  return router;
}
