import type { AppContext } from '../../context.ts';
import type { PrincipalUser } from '../../auth/principal.ts';
import { findBoardFacts, findColumn, findMoveFacts, type BoardFacts, type MoveFacts } from '../../../db/repositories/boards.ts';
import { findMembership } from '../../../db/repositories/board-members.ts';
import type { ColumnView } from '../../../domain/board/views.ts';
import { findTaskFacts, findTaskView, type Anchor, type TaskFacts } from '../../../db/repositories/tasks.ts';
import { allows, boardRoleOf, mayEditBoard, type BoardNeed, type BoardOwners, type BoardRole } from '../../../domain/board/access.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { forbidden, notFound, Problem } from '../../http/problem.ts';

/**
 * The caller's role on a board, or null. Owners and admins are known from the facts at hand;
 * only others cost a look at their membership.
 */
async function roleOn(ctx: AppContext, user: PrincipalUser, boardId: number, owners: BoardOwners): Promise<BoardRole | null> {
  if (mayEditBoard(user, owners)) return 'owner';
  return boardRoleOf(user, owners, await findMembership(ctx.db, boardId, user.id));
}

const REFUSAL: Record<BoardNeed, string> = {
  view: 'You cannot open this.',
  work: 'This card is not assigned to you.',
  edit: 'You may look at this board but not change it.',
  manage: 'Only the board’s owner may do that.',
};

/**
 * Checks the role against the need: no role at all is a 404 (boards of others do not exist for
 * them, so a customer cannot even learn that a provider's card is there); a role that does not
 * reach is a 403, as the person can see what they are refused. A technician's view of a card not
 * theirs is a 404 too: they do not see it on the board either.
 */
function check(role: BoardRole | null, need: BoardNeed, what: string, user: PrincipalUser, card?: { assigneeId: number | null }): BoardRole {
  if (role === null || (role === 'technician' && card && !allows(role, 'view', card, user.id))) throw notFound(`No such ${what}.`);
  if (!allows(role, need, card, user.id)) throw forbidden(REFUSAL[need]);
  return role;
}

export async function boardFor(ctx: AppContext, user: PrincipalUser, rawId: unknown, need: BoardNeed): Promise<BoardFacts & { role: BoardRole }> {
  const id = parseNumericId(rawId);
  const board = id === null ? undefined : await findBoardFacts(ctx.db, id);
  const role = board ? await roleOn(ctx, user, board.id, board) : null;
  return { ...board!, role: check(role, need, 'board', user) };
}

export const boardForEditor = (ctx: AppContext, user: PrincipalUser, rawId: unknown) => boardFor(ctx, user, rawId, 'edit');

export async function taskFor(ctx: AppContext, user: PrincipalUser, rawId: unknown, need: BoardNeed): Promise<TaskFacts & { role: BoardRole }> {
  const id = parseNumericId(rawId);
  const task = id === null ? undefined : await findTaskFacts(ctx.db, id);
  const role = task ? await roleOn(ctx, user, task.boardId, task) : null;
  return { ...task!, role: check(role, need, 'card', user, task) };
}

export const taskForEditor = (ctx: AppContext, user: PrincipalUser, rawId: unknown) => taskFor(ctx, user, rawId, 'edit');

/** The card, when the caller may move it, with the column it is dropped on (undefined when not on its board) and the gap at the anchor. */
export async function taskForMove(ctx: AppContext, user: PrincipalUser, rawId: unknown, anchor: Anchor): Promise<MoveFacts & { role: BoardRole }> {
  const id = parseNumericId(rawId);
  const facts = id === null ? undefined : await findMoveFacts(ctx.db, id, anchor);
  const role = facts ? await roleOn(ctx, user, facts.task.boardId, facts.task) : null;
  return { ...facts!, role: check(role, 'work', 'card', user, facts?.task) };
}

export async function columnForEditor(ctx: AppContext, user: PrincipalUser, rawId: unknown): Promise<ColumnView> {
  const id = parseNumericId(rawId);
  const column = id === null ? undefined : await findColumn(ctx.db, id);
  const board = column && (await findBoardFacts(ctx.db, column.boardId));
  check(board ? await roleOn(ctx, user, board.id, board) : null, 'edit', 'column', user);
  return column!;
}

/** A change made on a version that is no longer the card's: the client gets the card as it is now and re-syncs. */
export async function staleVersion(ctx: AppContext, taskId: number): Promise<Problem> {
  const current = await findTaskView(ctx.db, taskId);
  if (!current) return notFound('This card was deleted.');
  return new Problem(409, 'stale-version', 'Changed meanwhile', 'Someone changed this card since you loaded it; here it is as it is now.', { current });
}
