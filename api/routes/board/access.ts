import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { findBoardFacts, findColumn, findMoveFacts, type BoardFacts, type MoveFacts } from '../../../db/repositories/boards.ts';
import type { ColumnView } from '../../../domain/board/views.ts';
import { findTaskFacts, findTaskView, type Anchor, type TaskFacts } from '../../../db/repositories/tasks.ts';
import { mayEditBoard } from '../../../domain/board/access.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { notFound, Problem } from '../../http/problem.ts';

/**
 * The board, when the caller may work on it. Boards of others do not exist for them (404), so a
 * customer cannot even learn that a provider's card is there, let alone move it.
 */
export async function boardForEditor(ctx: AppContext, user: PrincipalUser, rawId: unknown): Promise<BoardFacts> {
  const id = parseNumericId(rawId);
  const board = id === null ? undefined : await findBoardFacts(ctx.db, id);
  if (!board || !mayEditBoard(user, board)) throw notFound('No such board.');
  return board;
}

export async function taskForEditor(ctx: AppContext, user: PrincipalUser, rawId: unknown): Promise<TaskFacts> {
  const id = parseNumericId(rawId);
  const task = id === null ? undefined : await findTaskFacts(ctx.db, id);
  if (!task || !mayEditBoard(user, task)) throw notFound('No such card.');
  return task;
}

/** The card, when the caller may work on it, with the column it is dropped on (undefined when not on its board) and the gap at the anchor. */
export async function taskForMove(ctx: AppContext, user: PrincipalUser, rawId: unknown, anchor: Anchor): Promise<MoveFacts> {
  const id = parseNumericId(rawId);
  const facts = id === null ? undefined : await findMoveFacts(ctx.db, id, anchor);
  if (!facts || !mayEditBoard(user, facts.task)) throw notFound('No such card.');
  return facts;
}

export async function columnForEditor(ctx: AppContext, user: PrincipalUser, rawId: unknown): Promise<ColumnView> {
  const id = parseNumericId(rawId);
  const column = id === null ? undefined : await findColumn(ctx.db, id);
  const board = column && (await findBoardFacts(ctx.db, column.boardId));
  if (!column || !board || !mayEditBoard(user, board)) throw notFound('No such column.');
  return column;
}

/** A change made on a version that is no longer the card's: the client gets the card as it is now and re-syncs. */
export async function staleVersion(ctx: AppContext, taskId: number): Promise<Problem> {
  const current = await findTaskView(ctx.db, taskId);
  if (!current) return notFound('This card was deleted.');
  return new Problem(409, 'stale-version', 'Changed meanwhile', 'Someone changed this card since you loaded it; here it is as it is now.', { current });
}
