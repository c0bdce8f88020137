import type { Knex } from 'knex';
import { isTechnician } from '../repositories/board-members.ts';
import { publish } from './publish.ts';

/**
 * Announces a change of one card on its board's topic and, when the card is a technician's, on
 * theirs (`user:<id>`, as `board.task`): a technician does not follow the board's topic, which
 * carries every card, so this is how their own cards reach them live. The API's card changes and
 * the booking actor's transitions both announce through here.
 */
export async function announceCardEvent(trx: Knex.Transaction, boardId: number, assigneeId: number | null, event: string, data: { boardId: number; taskId: number; [key: string]: unknown }): Promise<void> {
  // Read before the board's topic is locked by its publish, so that lock is held as briefly as before.
  const technician = assigneeId !== null && (await isTechnician(trx, boardId, assigneeId));
  await publish(trx, `board:${boardId}`, event, data);
  if (technician) await publish(trx, `user:${assigneeId}`, 'board.task', { event, data });
}
