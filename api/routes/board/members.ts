import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { deleteMember, listMembers, putMember } from '../../../db/repositories/board-members.ts';
import { isAssignable } from '../../../db/repositories/tasks.ts';
import { putBoardMemberSchema } from '../../../domain/board/requests.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { boardFor } from './access.ts';

/**
 * A board's members: viewers, editors and technicians. The owner adds people they already work
 * with (their organizations' members), so a board cannot be used to find out who has an account.
 */
export function memberRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/boards/:boardId/members', requireUser, async (req, res) => {
    const board = await boardFor(ctx, currentUser(req), req.params.boardId, 'view');
    res.json({ items: await listMembers(ctx.db, board.id) });
  });

  router.put('/boards/:boardId/members/:userId', requireUser, async (req, res) => {
    const { role } = putBoardMemberSchema.parse(req.body);
    const user = currentUser(req);
    const board = await boardFor(ctx, user, req.params.boardId, 'manage');
    const memberId = parseNumericId(req.params.userId);
    if (memberId === null || memberId === board.ownerId || memberId === board.providerId) throw new Problem(422, 'validation', 'Invalid input', 'userId: the board’s owner needs no membership.');
    if (!(await isAssignable(ctx.db, memberId, { ...board, boardId: board.id }, user.id))) {
      throw new Problem(422, 'validation', 'Invalid input', 'userId: add members of your organizations.');
    }
    await putMember(ctx.db, board.id, memberId, role);
    res.json({ items: await listMembers(ctx.db, board.id) });
  });

  router.delete('/boards/:boardId/members/:userId', requireUser, async (req, res) => {
    const board = await boardFor(ctx, currentUser(req), req.params.boardId, 'manage');
    const memberId = parseNumericId(req.params.userId);
    if (memberId === null || !(await deleteMember(ctx.db, board.id, memberId))) throw notFound('This person is not a member of the board.');
    res.status(204).end();
  });

  return router;
}
