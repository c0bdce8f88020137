import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { boardIdsOfProject, findOwnBoardId, findProject, insertProjectWithBoard, listOwnProjects, loadBoardView } from '../../../db/repositories/boards.ts';
import { ensureProviderBoard } from '../../../db/repositories/board-tasks.ts';
import { assignablePeople } from '../../../db/repositories/tasks.ts';
import { mayEditBoard } from '../../../domain/board/access.ts';
import { createProjectSchema } from '../../../domain/board/requests.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { notFound } from '../../http/problem.ts';
import { boardForEditor } from './access.ts';

/** Projects and their boards, read whole: columns in order with counts, cards in order; and whom their cards may be given to. */
export function boardRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/projects', requireUser, async (req, res) => {
    res.json({ items: await listOwnProjects(ctx.db, currentUser(req).id) });
  });

  router.post('/projects', requireUser, async (req, res) => {
    const { name } = createProjectSchema.parse(req.body);
    const { projectId, boardId } = await ctx.db.transaction((trx) => insertProjectWithBoard(trx, currentUser(req).id, name));
    res.status(201).location(`/api/v1/projects/${projectId}/board`).json({ id: projectId, name, boardIds: [boardId] });
  });

  router.get('/projects/:projectId/board', requireUser, async (req, res) => {
    const user = currentUser(req);
    const id = parseNumericId(req.params.projectId);
    const project = id === null ? undefined : await findProject(ctx.db, id);
    const mayView = project && [null, ...project.providerIds].some((providerId) => mayEditBoard(user, { ownerId: project.ownerId, providerId }));
    if (!project || !mayView) throw notFound('No such project.');
    const boards = await Promise.all((await boardIdsOfProject(ctx.db, project.id)).map((boardId) => loadBoardView(ctx.db, boardId)));
    res.json({ project: { id: project.id, name: project.name }, boards });
  });

  // A provider's board is made on first sight, as it is when their first booking arrives.
  router.get('/boards/mine', requireUser, async (req, res) => {
    const user = currentUser(req);
    const boardId = (await findOwnBoardId(ctx.db, user.id)) ?? (user.role === 'provider' ? await ctx.db.transaction((trx) => ensureProviderBoard(trx, user)) : undefined);
    if (boardId === undefined) throw notFound('You have no board yet: create a project to get one.');
    res.json(await loadBoardView(ctx.db, boardId));
  });

  router.get('/boards/:boardId', requireUser, async (req, res) => {
    const board = await boardForEditor(ctx, currentUser(req), req.params.boardId);
    res.json(await loadBoardView(ctx.db, board.id));
  });

  router.get('/boards/:boardId/assignees', requireUser, async (req, res) => {
    const user = currentUser(req);
    const board = await boardForEditor(ctx, user, req.params.boardId);
    res.json({ items: await assignablePeople(ctx.db, board, user.id) });
  });

  return router;
}
