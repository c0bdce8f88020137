import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { boardIdsOfProject, findOwnBoardId, findProject, insertProjectWithBoard, listOwnProjects, loadBoardView, updateBoard } from '../../../db/repositories/boards.ts';
import { ensureProviderBoard } from '../../../db/repositories/board-tasks.ts';
import { listBoardsFor } from '../../../db/repositories/board-members.ts';
import { findMembershipRole } from '../../../db/repositories/memberships.ts';
import { assignablePeople } from '../../../db/repositories/tasks.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { mayEditBoard } from '../../../domain/board/access.ts';
import { createBoardSchema, createProjectSchema, listBoardsQuerySchema, patchBoardSchema } from '../../../domain/board/requests.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { boardFor } from './access.ts';

/** Projects and their boards, read whole: columns in order with counts, cards in order; whom their cards may be given to; boards made, renamed, archived. */
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
    const boards = await Promise.all((await boardIdsOfProject(ctx.db, project.id)).map((boardId) => loadBoardView(ctx.db, boardId, { id: user.id, role: 'owner' })));
    res.json({ project: { id: project.id, name: project.name }, boards });
  });

  /** The boards the caller may open, for the switcher (archived ones with ?archived=true). */
  router.get('/boards', requireUser, async (req, res) => {
    const { archived } = listBoardsQuerySchema.parse(req.query);
    res.json({ items: await listBoardsFor(ctx.db, currentUser(req).id, { archived }) });
  });

  // A board of one's own, or of an organization one belongs to (its members then work on it).
  router.post('/boards', requireUser, async (req, res) => {
    const { name, organizationId } = createBoardSchema.parse(req.body);
    const user = currentUser(req);
    if (organizationId !== null && !(await findMembershipRole(ctx.db, organizationId, user.id))) {
      throw new Problem(422, 'validation', 'Invalid input', 'organizationId: you are not a member of this organization.');
    }
    const { boardId } = await ctx.db.transaction((trx) => insertProjectWithBoard(trx, user.id, name, { name, organizationId }));
    res.status(201).location(`/api/v1/boards/${boardId}`).json(await loadBoardView(ctx.db, boardId, { id: user.id, role: 'owner' }));
  });

  // A provider's board is made on first sight, as it is when their first booking arrives.
  router.get('/boards/mine', requireUser, async (req, res) => {
    const user = currentUser(req);
    const boardId = (await findOwnBoardId(ctx.db, user.id)) ?? (user.role === 'provider' ? await ctx.db.transaction((trx) => ensureProviderBoard(trx, user)) : undefined);
    if (boardId === undefined) throw notFound('You have no board yet: create a project to get one.');
    res.json(await loadBoardView(ctx.db, boardId, { id: user.id, role: 'owner' }));
  });

  router.get('/boards/:boardId', requireUser, async (req, res) => {
    const user = currentUser(req);
    const board = await boardFor(ctx, user, req.params.boardId, 'view');
    res.json(await loadBoardView(ctx.db, board.id, { id: user.id, role: board.role }));
  });

  router.patch('/boards/:boardId', requireUser, async (req, res) => {
    const changes = patchBoardSchema.parse(req.body);
    const user = currentUser(req);
    const board = await boardFor(ctx, user, req.params.boardId, 'manage');
    await ctx.db.transaction(async (trx) => {
      await updateBoard(trx, board.id, changes);
      await publish(trx, `board:${board.id}`, 'board.updated', { boardId: board.id, ...changes });
    });
    res.json(await loadBoardView(ctx.db, board.id, { id: user.id, role: board.role }));
  });

  router.get('/boards/:boardId/assignees', requireUser, async (req, res) => {
    const user = currentUser(req);
    const board = await boardFor(ctx, user, req.params.boardId, 'view');
    res.json({ items: await assignablePeople(ctx.db, { ...board, boardId: board.id }, user.id) });
  });

  return router;
}
