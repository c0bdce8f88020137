import type { Knex } from 'knex';
import { isTechnician } from '../repositories/board-members.ts';
import { publishTopics, type TopicEvents } from './publish.ts';

type CardEventData = { boardId: number; taskId: number; [key: string]: unknown };

/**
 * Announces a change of one card on its board's topic and, when the card is a technician's, on
 * theirs (`user:<id>`, as `board.task`): a technician does not follow the board's topic, which
 * carries every card, so this is how their own cards reach them live. The API's card changes
 * announce through here; a booking actor's transition publishes the same topics (cardEventTopics)
 * with its own.
 */
export async function announceCardEvent(trx: Knex.Transaction, boardId: number, assigneeId: number | null, event: string, data: CardEventData): Promise<void> {
  await publishTopics(trx, await cardEventTopics(trx, boardId, assigneeId, event, data));
}

/** The topics a card's change goes to (see announceCardEvent), for a caller that publishes them with others in one round trip. */
export async function cardEventTopics(trx: Knex.Transaction, boardId: number, assigneeId: number | null, event: string, data: CardEventData): Promise<TopicEvents[]> {
  const technician = assigneeId !== null && (await isTechnician(trx, boardId, assigneeId));
  const board = { topic: `board:${boardId}`, events: [{ event, data }] };
  return technician ? [board, { topic: `user:${assigneeId}`, events: [{ event: 'board.task', data: { event, data } }] }] : [board];
}
