import type { Knex } from 'knex';
import { PROVIDER_BOARD_COLUMNS } from '../../domain/bookings/board-columns.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';
import { queryPrepared } from '../prepared.ts';

/** Position gap between neighbours: thousands of inserts between two cards before a rebalance. */
export const POSITION_GAP = 1024;

/** The provider's own board (with its booking columns), created on first use. */
export async function ensureProviderBoard(trx: Knex.Transaction, provider: { id: number; name: string }): Promise<number> {
  const existing = await trx('boards').where({ provider_id: provider.id }).first('id');
  if (existing) return existing.id;
  const [project] = await trx('projects').insert({ owner_id: provider.id, name: `${provider.name}'s services` }).returning('id');
  const [board] = await trx('boards')
    .insert({ project_id: project.id, name: 'Bookings', provider_id: provider.id })
    .onConflict('provider_id')
    .ignore()
    .returning('id');
  if (!board) return (await trx('boards').where({ provider_id: provider.id }).first('id')).id;
  await trx('board_columns').insert(
    PROVIDER_BOARD_COLUMNS.map((column, index) => ({ board_id: board.id, name: column.name, position: (index + 1) * POSITION_GAP, booking_state: column.bookingState })),
  );
  return board.id;
}

export interface BookingTaskChange {
  boardId: number;
  taskId: number;
  columnId: number;
  version: number;
  created: boolean;
  /** Who the card is assigned to, so a technician's card can be announced to them as well. */
  assigneeId: number | null;
}

/** Creates the booking's task, or moves it to the column of the booking's new state (at the top). */
export async function placeBookingTask(
  trx: Knex.Transaction,
  booking: { id: number; providerId: number; providerName: string; title: string; description: string; dueAt: Date },
  columnState: BookingState,
  /** `create: false` moves the booking's card only if it has one (a card is made on confirm). */
  options: { create?: boolean } = {},
): Promise<BookingTaskChange | null> {
  if (options.create === false) return moveBookingTask(trx, booking.id, columnState);
  const existing = await trx('tasks').where({ booking_id: booking.id }).first('id', 'column_id', 'version');
  const boardId = await ensureProviderBoard(trx, { id: booking.providerId, name: booking.providerName });
  const column = await trx('board_columns').where({ board_id: boardId, booking_state: columnState }).first('id');
  if (!column) return null;
  if (existing?.column_id === column.id) return null;
  const top = await trx('tasks').where({ column_id: column.id }).min<{ min: number | null }>('position as min').first();
  const position = (top?.min ?? POSITION_GAP * 2) - POSITION_GAP;
  if (!existing) {
    const [task] = await trx('tasks')
      .insert({
        board_id: boardId,
        column_id: column.id,
        title: booking.title,
        description: booking.description,
        booking_id: booking.id,
        assignee_id: booking.providerId,
        due_at: booking.dueAt,
        position,
      })
      .returning(['id', 'version', 'assignee_id']);
    return { boardId, taskId: task.id, columnId: column.id, version: task.version, created: true, assigneeId: task.assignee_id };
  }
  const [task] = await trx('tasks')
    .where({ id: existing.id })
    .update({ column_id: column.id, position, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
    .returning(['id', 'version', 'assignee_id']);
  return { boardId, taskId: task.id, columnId: column.id, version: task.version, created: false, assigneeId: task.assignee_id };
}

/**
 * Moves the booking's card, if it has one in another column, to the top of its new state's
 * column: one round trip, since every step of a booking after its confirm moves its card.
 */
async function moveBookingTask(trx: Knex.Transaction, bookingId: number, columnState: BookingState): Promise<BookingTaskChange | null> {
  const query = trx.raw(
    `with card as (
       select t.id, c.id as column_id
         from tasks t join board_columns c on c.board_id = t.board_id and c.booking_state = ?
        where t.booking_id = ? and t.column_id <> c.id
     )
     update tasks t set column_id = card.column_id,
            position = coalesce((select min(position) from tasks where column_id = card.column_id), ?) - ?,
            version = t.version + 1, updated_at = now()
       from card where t.id = card.id
     returning t.id, t.board_id, t.column_id, t.version, t.assignee_id`,
    [columnState, bookingId, POSITION_GAP * 2, POSITION_GAP],
  );
  const [task] = await queryPrepared<{ id: number; board_id: number; column_id: number; version: number; assignee_id: number | null }>(trx, 'move-booking-task', query);
  return task ? { boardId: task.board_id, taskId: task.id, columnId: task.column_id, version: task.version, created: false, assigneeId: task.assignee_id } : null;
}
