import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { BoardMemberRole } from '../../domain/board/access.ts';
import type { BoardMemberView, BoardSummary } from '../../domain/board/views.ts';

type Conn = Db | Knex.Transaction;

/** A person's membership of a board, and whether they belong to the organization that owns it. */
export async function findMembership(db: Conn, boardId: number, userId: number): Promise<{ role: BoardMemberRole | null; inOwningOrganization: boolean }> {
  const { rows } = await db.raw(
    `select (select role from board_members where board_id = :boardId and user_id = :userId) as role,
            exists (select 1 from boards b join memberships m on m.organization_id = b.organization_id where b.id = :boardId and m.user_id = :userId) as in_org`,
    { boardId, userId },
  );
  return { role: rows[0].role, inOwningOrganization: rows[0].in_org };
}

export async function listMembers(db: Conn, boardId: number): Promise<BoardMemberView[]> {
  const rows = await db('board_members as m').join('users as u', 'u.id', 'm.user_id').where('m.board_id', boardId).orderBy([{ column: 'u.name' }, { column: 'u.id' }]).select('m.user_id', 'u.name', 'm.role');
  return rows.map((row: { user_id: number; name: string; role: BoardMemberRole }) => ({ userId: row.user_id, name: row.name, role: row.role }));
}

export async function putMember(db: Conn, boardId: number, userId: number, role: BoardMemberRole): Promise<void> {
  await db('board_members').insert({ board_id: boardId, user_id: userId, role }).onConflict(['board_id', 'user_id']).merge(['role']);
}

export async function deleteMember(db: Conn, boardId: number, userId: number): Promise<boolean> {
  return (await db('board_members').where({ board_id: boardId, user_id: userId }).delete()) > 0;
}

/**
 * The boards a person may open, for the switcher: their own projects', their bookings board, their
 * organizations' boards and those they were added to, with their role on each; archived ones only when asked.
 * Admins see every board on its own page, but their switcher lists only boards of theirs.
 */
export async function listBoardsFor(db: Conn, userId: number, options: { archived: boolean }): Promise<BoardSummary[]> {
  const { rows } = await db.raw(
    `select b.id, b.name, p.id as project_id, p.name as project_name, b.organization_id, o.name as organization_name, b.provider_id, b.archived_at,
            case when p.owner_id = :userId or b.provider_id = :userId then 'owner'
                 when exists (select 1 from memberships m where m.organization_id = b.organization_id and m.user_id = :userId) then 'editor'
                 else bm.role end as role
       from boards b
       join projects p on p.id = b.project_id
       left join organizations o on o.id = b.organization_id
       left join board_members bm on bm.board_id = b.id and bm.user_id = :userId
      where (p.owner_id = :userId or b.provider_id = :userId or bm.user_id is not null
             or exists (select 1 from memberships m where m.organization_id = b.organization_id and m.user_id = :userId))
        and (:archived or b.archived_at is null)
      order by b.archived_at nulls first, lower(b.name), b.id`,
    { userId, archived: options.archived },
  );
  return rows.map((row: { id: number; name: string; project_id: number; project_name: string; organization_id: number | null; organization_name: string | null; provider_id: number | null; archived_at: Date | null; role: BoardSummary['role'] }) => ({
    id: row.id,
    name: row.name,
    project: { id: row.project_id, name: row.project_name },
    organization: row.organization_id === null ? null : { id: row.organization_id, name: row.organization_name ?? '' },
    providerId: row.provider_id,
    archived: row.archived_at !== null,
    role: row.role,
  }));
}

/**
 * Who may follow a board's live events beside its owners: its viewers and editors and the members
 * of the organization owning it. Not technicians: every card's changes go out on the board's topic,
 * and a technician sees only the cards assigned to them.
 */
export async function boardWatchers(db: Conn, boardId: number): Promise<number[]> {
  const { rows } = await db.raw(
    `select user_id from board_members where board_id = :boardId and role in ('viewer', 'editor')
     union select m.user_id from boards b join memberships m on m.organization_id = b.organization_id where b.id = :boardId`,
    { boardId },
  );
  return rows.map((row: { user_id: number | string }) => Number(row.user_id));
}

/**
 * Who can read a card, by name: the board's owner and provider, its viewers and editors, the
 * owning organization's members, and a technician when the card is theirs. The people a comment
 * may @mention, so that a mention's link opens for the person it reaches.
 */
export async function cardReaders(db: Conn, card: { boardId: number; ownerId: number; providerId: number | null; assigneeId: number | null }): Promise<Array<{ id: number; name: string }>> {
  const technician = card.assigneeId === null ? [] : await db('board_members').where({ board_id: card.boardId, user_id: card.assigneeId, role: 'technician' }).pluck('user_id');
  const ids = [card.ownerId, card.providerId, ...technician, ...(await boardWatchers(db, card.boardId))].filter((id): id is number => id !== null);
  return db('users').whereIn('id', ids).whereNull('disabled_at').orderBy([{ column: 'name' }, { column: 'id' }]).select('id', 'name');
}

export async function isTechnician(db: Conn, boardId: number, userId: number): Promise<boolean> {
  return (await db('board_members').where({ board_id: boardId, user_id: userId, role: 'technician' }).first('user_id')) !== undefined;
}
