import type { Knex } from 'knex';
import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { findColumn, type BoardFacts } from '../../../db/repositories/boards.ts';
import { AnchorMissing, deleteTaskRow, findTaskView, insertTask, isAssignable, lockColumn, lockTask, placeAt, updateTaskRow } from '../../../db/repositories/tasks.ts';
import type { createTaskSchema, TaskFields } from '../../../domain/board/requests.ts';
import type { TaskView } from '../../../domain/board/views.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { conflict, Problem } from '../../http/problem.ts';
import { staleVersion, taskForEditor } from './access.ts';
import { announceTask, announceTaskView, announceUnassigned } from './announce.ts';
import { scheduleRebalance } from './rebalance.ts';
import { recordActivity } from '../../../db/repositories/task-activity.ts';
import { ensureLabels } from '../../../db/repositories/board-labels.ts';
import type { z } from 'zod';

const invalid = (detail: string) => new Problem(422, 'validation', 'Invalid input', detail);

async function checkAssignee(ctx: AppContext, assigneeId: number | null | undefined, board: { boardId: number; ownerId: number; providerId: number | null }, editor: PrincipalUser): Promise<void> {
  if (assigneeId == null) return;
  if (!(await isAssignable(ctx.db, assigneeId, board, editor.id))) throw invalid('assigneeId: only the board’s people or members of your organizations can be assigned.');
}

export async function createTask(ctx: AppContext, user: PrincipalUser, board: BoardFacts, input: z.infer<typeof createTaskSchema>): Promise<TaskView> {
  const column = await findColumn(ctx.db, input.columnId);
  if (!column || column.boardId !== board.id) throw invalid('columnId: no such column on this board.');
  await checkAssignee(ctx, input.assigneeId, { ...board, boardId: board.id }, user);
  try {
    const { task, crowded } = await ctx.db.transaction(async (trx) => {
      await lockColumn(trx, column.id);
      const { position, crowded } = await placeAt(trx, input, null);
      const id = await insertTask(trx, { ...input, boardId: board.id, position });
      await ensureLabels(trx, board.id, input.labels);
      await recordActivity(trx, id, user.id, 'created', { column: column.name });
      return { task: await announceTask(trx, 'task.created', id), crowded };
    });
    if (crowded) scheduleRebalance(ctx, column.id);
    return task;
  } catch (error) {
    if (error instanceof AnchorMissing) throw conflict('The card you placed this next to is no longer in that column; reload the board.');
    throw error;
  }
}

class Stale extends Error {}

/** Runs `change` on the card locked at the version the client saw; a stale version is a 409 with the card as it is. */
async function onVersion<T>(ctx: AppContext, taskId: number, version: number, change: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(async (trx) => {
      const current = await lockTask(trx, taskId);
      if (!current || current.version !== version) throw new Stale();
      return change(trx);
    });
  } catch (error) {
    if (error instanceof Stale) throw await staleVersion(ctx, taskId);
    throw error;
  }
}

export async function updateTask(ctx: AppContext, user: PrincipalUser, taskId: unknown, version: number, fields: TaskFields & { assigneeId?: number | null }): Promise<TaskView> {
  const task = await taskForEditor(ctx, user, taskId);
  await checkAssignee(ctx, fields.assigneeId, task, user);
  return onVersion(ctx, task.id, version, async (trx) => {
    await updateTaskRow(trx, task.id, fields);
    await ensureLabels(trx, task.boardId, fields.labels ?? []);
    const { assigneeId, ...edited } = fields;
    const changed = Object.keys(edited).filter((key) => edited[key as keyof typeof edited] !== undefined);
    if (changed.length) await recordActivity(trx, task.id, user.id, 'edited', { fields: changed });
    const view = (await findTaskView(trx, task.id))!;
    if (assigneeId !== undefined) await recordActivity(trx, task.id, user.id, 'assigned', { assignee: view.assignee?.name ?? null });
    if (task.assigneeId !== null && assigneeId !== undefined && assigneeId !== task.assigneeId) await announceUnassigned(trx, task, task.assigneeId);
    return announceTaskView(trx, 'task.updated', view);
  });
}

export async function deleteTask(ctx: AppContext, user: PrincipalUser, taskId: unknown, version: number): Promise<void> {
  const task = await taskForEditor(ctx, user, taskId);
  if (task.bookingId !== null) throw conflict('A booking’s card follows the booking: cancel or complete the booking instead.', { bookingId: task.bookingId });
  await onVersion(ctx, task.id, version, async (trx) => {
    await deleteTaskRow(trx, task.id);
    await publish(trx, `board:${task.boardId}`, 'task.deleted', { boardId: task.boardId, taskId: task.id, columnId: task.columnId });
  });
}
