import type { Knex } from 'knex';
import { findTaskView } from '../../../db/repositories/tasks.ts';
import type { ColumnView, TaskView } from '../../../domain/board/views.ts';
import { publish } from '../../../db/realtime/publish.ts';

export type TaskEvent = 'task.created' | 'task.updated' | 'task.moved';

/**
 * Announces a card change on `board:<id>` inside the writing transaction, with the card as it is
 * now: its version and position let every viewer apply changes in one order and converge.
 */
export async function announceTask(trx: Knex.Transaction, event: TaskEvent, taskId: number): Promise<TaskView> {
  return announceTaskView(trx, event, (await findTaskView(trx, taskId))!);
}

/** The same, for a card the caller has just read (a write's `returning`): publish is then the last statement before commit. */
export async function announceTaskView(trx: Knex.Transaction, event: TaskEvent, task: TaskView): Promise<TaskView> {
  await publish(trx, `board:${task.boardId}`, event, { boardId: task.boardId, taskId: task.id, columnId: task.columnId, position: task.position, version: task.version, task });
  return task;
}

export async function announceColumn(trx: Knex.Transaction, event: 'column.created' | 'column.updated', column: ColumnView): Promise<void> {
  await publish(trx, `board:${column.boardId}`, event, { boardId: column.boardId, columnId: column.id, column });
}
