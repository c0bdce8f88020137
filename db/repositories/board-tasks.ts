import type { Knex } from 'knex';
import { PROVIDER_BOARD_COLUMNS } from '../../domain/bookings/board-columns.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';

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
  const existing = await trx('tasks').where({ booking_id: booking.id }).first('id', 'column_id', 'version');
  if (!existing && options.create === false) return null;
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
