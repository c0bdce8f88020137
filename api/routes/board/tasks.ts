import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { currentUser, requireUser } from '../../auth/middleware.ts';
import { Problem } from '../../http/problem.ts';
import { findTaskView } from '../../../db/repositories/tasks.ts';
import { assignSchema, createTaskSchema, deleteTaskSchema, patchTaskSchema, reorderSchema } from '../../../domain/board/requests.ts';
import { boardForEditor, taskFor } from './access.ts';
import { createTask, deleteTask, updateTask } from './edit.ts';
import { moveTask } from './move.ts';

/** Cards: read, create, edit (fields, assignee, move), reorder, assign, delete; every change on the version the client saw. */
export function taskRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/boards/:boardId/tasks', requireUser, async (req, res) => {
    const input = createTaskSchema.parse(req.body);
    const user = currentUser(req);
    const task = await createTask(ctx, user, await boardForEditor(ctx, user, req.params.boardId), input);
    res.status(201).location(`/api/v1/tasks/${task.id}`).json(task);
  });

  router.get('/tasks/:taskId', requireUser, async (req, res) => {
    const task = await taskFor(ctx, currentUser(req), req.params.taskId, 'view');
    res.json(await findTaskView(ctx.db, task.id));
  });

  router.patch('/tasks/:taskId', requireUser, async (req, res) => {
    const { version, columnId, afterTaskId, beforeTaskId, ...fields } = patchTaskSchema.parse(req.body);
    const user = currentUser(req);
    const hasFields = Object.values(fields).some((value) => value !== undefined);
    const moving = columnId !== undefined || afterTaskId !== undefined || beforeTaskId !== undefined;
    if (!hasFields && !moving) throw new Problem(422, 'validation', 'Invalid input', 'Send fields to change, or columnId / afterTaskId / beforeTaskId to move the card.');
    let task = hasFields ? await updateTask(ctx, user, req.params.taskId, version, fields) : undefined;
    if (moving) {
      const facts = await taskFor(ctx, user, req.params.taskId, 'work');
      task = await moveTask(ctx, user, { taskId: facts.id, columnId: columnId ?? facts.columnId, afterId: afterTaskId, beforeId: beforeTaskId, version: task?.version ?? version });
    }
    res.json(task);
  });

  router.post('/tasks/reorder', requireUser, async (req, res) => {
    res.json(await moveTask(ctx, currentUser(req), reorderSchema.parse(req.body)));
  });

  router.post('/tasks/assign', requireUser, async (req, res) => {
    const { taskId, assigneeId, version } = assignSchema.parse(req.body);
    res.json(await updateTask(ctx, currentUser(req), taskId, version, { assigneeId }));
  });

  router.delete('/tasks/:taskId', requireUser, async (req, res) => {
    const { version } = deleteTaskSchema.parse(req.query);
    await deleteTask(ctx, currentUser(req), req.params.taskId, version);
    res.status(204).end();
  });

  return router;
}
