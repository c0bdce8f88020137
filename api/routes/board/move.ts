import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { findBooking } from '../../../db/repositories/bookings.ts';
import type { MoveFacts } from '../../../db/repositories/boards.ts';
import { AnchorMissing, findTaskView, lockColumn, lockTaskAt, moveIntoSeenGap, moveTaskRow, placeAt, type TaskFacts } from '../../../db/repositories/tasks.ts';
import { bookingActorFor } from '../../../domain/board/access.ts';
import type { ReorderRequest } from '../../../domain/board/requests.ts';
import type { ColumnView, TaskView } from '../../../domain/board/views.ts';
import { columnStateFor, transitionForColumn } from '../../../domain/bookings/board-columns.ts';
import type { BookingState } from '../../../domain/bookings/lifecycle.ts';
import { conflict, forbidden, notFound, Problem } from '../../http/problem.ts';
import { requestTransition } from '../bookings/transition.ts';
import { recordActivity } from '../../../db/repositories/task-activity.ts';
import { staleVersion, taskForMove } from './access.ts';
import { announceTaskView } from './announce.ts';
import { scheduleRebalance } from './rebalance.ts';

/**
 * Moves a card to a column, after or before a neighbour (or to the bottom). One row is written.
 * A booking's card dropped on a column that stands for another booking state first asks the
 * booking actor for that transition; a refusal is a 409 with the actor's reason and nothing moves.
 */
export async function moveTask(ctx: AppContext, user: PrincipalUser, command: ReorderRequest): Promise<TaskView> {
  const { task, column, seen } = await taskForMove(ctx, user, command.taskId, command);
  if (!column) throw new Problem(422, 'validation', 'Invalid input', 'columnId: no such column on this board.');
  if (task.version !== command.version) throw await staleVersion(ctx, task.id);
  const bookingState = task.bookingId !== null && column.bookingState !== null ? (await findBooking(ctx.db, task.bookingId))?.state : undefined;
  if (bookingState && columnStateFor(bookingState) !== column.bookingState) {
    await askBookingActor(ctx, user, task, bookingState, column);
    // The actor's activity has already put the card at the top of this column (its own task.moved):
    // only the spot within the column is left to set, and nothing is written when the top was the spot.
    return commitMove(ctx, command, null);
  }
  // Only a change of column is a line in the card's log; the order within a column is not news.
  const log = task.columnId !== column.id ? { actorId: user.id, to: column.name } : undefined;
  return commitMove(ctx, command, command.version, seen, log);
}

async function askBookingActor(ctx: AppContext, user: PrincipalUser, task: TaskFacts, from: BookingState, column: ColumnView): Promise<void> {
  const action = transitionForColumn(from, column.bookingState!);
  if (!action) throw conflict(`This booking is ${from.replace('_', ' ')}: its card cannot go back to ${column.name}.`, { bookingId: task.bookingId });
  const actor = bookingActorFor(user, task);
  if (!actor) throw forbidden('Only the provider or an admin may change a booking from the board.');
  await requestTransition(ctx, task.bookingId!, action, actor);
}

class StaleMove extends Error {}

/**
 * Writes the move under the column's lock (moves into one column take turns, so no two pick one spot).
 * Mostly one statement runs under the lock: the write into the gap the client's move saw (`seen`,
 * read before the lock), guarded so it only lands if that gap is still empty and the card unchanged.
 * Otherwise the card is locked and its neighbours read again under the lock. The column is locked
 * before the card, as the rebalance and column deletion lock it before its cards.
 * With no expected version (the booking actor has just moved the card) a neighbour that is gone
 * leaves the card where the actor put it; otherwise it means the client's view is stale.
 */
async function commitMove(ctx: AppContext, command: ReorderRequest, expectedVersion: number | null, seen?: MoveFacts['seen'], log?: { actorId: number; to: string }): Promise<TaskView> {
  try {
    const { task, crowded } = await ctx.db.transaction(async (trx) => {
      await lockColumn(trx, command.columnId);
      const fast = seen && expectedVersion !== null ? await moveIntoSeenGap(trx, command.taskId, command, expectedVersion, seen) : undefined;
      if (fast && log) await recordActivity(trx, command.taskId, log.actorId, 'moved', { to: log.to });
      if (fast) return { task: await announceTaskView(trx, 'task.moved', fast.task), crowded: fast.crowded };
      const current = await lockTaskAt(trx, command.taskId, command);
      if (!current) throw notFound('This card was deleted.');
      if (expectedVersion !== null && current.version !== expectedVersion) throw new StaleMove();
      const spot = await placeAt(trx, command, command.taskId, current.around);
      const alreadyThere =
        current.columnId === command.columnId && (spot.prev === null || current.position > spot.prev) && (spot.next === null || current.position < spot.next);
      if (alreadyThere) return { task: (await findTaskView(trx, command.taskId))!, crowded: false };
      const moved = (await moveTaskRow(trx, command.taskId, command.columnId, spot.position))!;
      if (log && current.columnId !== command.columnId) await recordActivity(trx, command.taskId, log.actorId, 'moved', { to: log.to });
      return { task: await announceTaskView(trx, 'task.moved', moved), crowded: spot.crowded };
    });
    if (crowded) scheduleRebalance(ctx, command.columnId);
    return task;
  } catch (error) {
    if (error instanceof AnchorMissing && expectedVersion === null) return (await findTaskView(ctx.db, command.taskId))!;
    if (error instanceof StaleMove || error instanceof AnchorMissing) throw await staleVersion(ctx, command.taskId);
    throw error;
  }
}
