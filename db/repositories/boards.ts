import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { POSITION_GAP } from './board-tasks.ts';
import { aroundSql, listBoardTasks, TASK_FACTS, taskFactsQuery, toTaskFacts, type Anchor, type Around, type TaskFacts } from './tasks.ts';
import { positionBetween } from '../../domain/board/positions.ts';
import type { BoardView, ColumnView } from '../../domain/board/views.ts';
import type { BoardRole } from '../../domain/board/access.ts';
import { listLabels } from './board-labels.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';

type Conn = Db | Knex.Transaction;

/** A board's owners, as the access policy needs them. */
export interface BoardFacts {
  id: number;
  projectId: number;
  ownerId: number;
  providerId: number | null;
}

export async function findBoardFacts(db: Conn, boardId: number): Promise<BoardFacts | undefined> {
  const row = await db('boards as b').join('projects as p', 'p.id', 'b.project_id').where('b.id', boardId).first('b.id', 'b.project_id', 'p.owner_id', 'b.provider_id');
  return row && { id: row.id, projectId: row.project_id, ownerId: row.owner_id, providerId: row.provider_id };
}

export async function findProject(db: Conn, projectId: number): Promise<{ id: number; name: string; ownerId: number; providerIds: number[] } | undefined> {
  const project = await db('projects').where({ id: projectId }).first('id', 'name', 'owner_id');
  if (!project) return undefined;
  const providerIds = await db('boards').where({ project_id: projectId }).whereNotNull('provider_id').pluck('provider_id');
  return { id: project.id, name: project.name, ownerId: project.owner_id, providerIds };
}

interface ColumnRow {
  id: number;
  board_id: number;
  name: string;
  position: number;
  wip_limit: number | null;
  booking_state: BookingState | null;
}

const toColumnView = (row: ColumnRow): ColumnView => ({
  id: row.id,
  boardId: row.board_id,
  name: row.name,
  position: row.position,
  wipLimit: row.wip_limit,
  bookingState: row.booking_state,
});

export async function findColumn(db: Conn, columnId: number): Promise<ColumnView | undefined> {
  const row = (await db('board_columns').where({ id: columnId }).first()) as ColumnRow | undefined;
  return row && toColumnView(row);
}

/** What a move reads before it takes any lock; `seen` is the gap at the anchor then, with where the card was (undefined: anchor not there). */
export interface MoveFacts {
  task: TaskFacts;
  column: ColumnView | undefined;
  seen: (Around & { current: { columnId: number; position: number } }) | undefined;
}

/**
 * A card's facts, the column it is dropped on (undefined when no such column is on the card's
 * board) and the neighbours at the anchor, in one query.
 */
export async function findMoveFacts(db: Conn, taskId: number, anchor: Anchor): Promise<MoveFacts | undefined> {
  const around = aroundSql(anchor, taskId);
  const row = await taskFactsQuery(db, taskId)
    .with('anchor', db.raw(around.anchor, around.bindings))
    .leftJoin('board_columns as c', (on) => on.on('c.board_id', 't.board_id').andOnVal('c.id', anchor.columnId))
    .first([...TASK_FACTS, 't.position', 'c.id as c_id', 'c.name as c_name', 'c.position as c_position', 'c.wip_limit as c_wip_limit', 'c.booking_state as c_booking_state', db.raw(around.columns, around.bindings)]);
  if (!row) return undefined;
  const column = row.c_id === null ? undefined : toColumnView({ id: row.c_id, board_id: row.board_id, name: row.c_name, position: row.c_position, wip_limit: row.c_wip_limit, booking_state: row.c_booking_state });
  const seen = row.found ? { prev: row.prev, next: row.next, current: { columnId: row.column_id, position: row.position } } : undefined;
  return { task: toTaskFacts(row), column, seen };
}

/** The whole board: its columns in order, each with its cards in order and their count. */
export async function loadBoardView(db: Conn, boardId: number, viewer: { id: number; role: BoardRole }): Promise<BoardView | undefined> {
  const board = await db('boards as b')
    .join('projects as p', 'p.id', 'b.project_id')
    .leftJoin('organizations as o', 'o.id', 'b.organization_id')
    .where('b.id', boardId)
    .first('b.id', 'b.name', 'b.provider_id', 'b.archived_at', 'b.organization_id', 'o.name as organization_name', 'p.id as project_id', 'p.name as project_name');
  if (!board) return undefined;
  const [labels, columns, tasks] = await Promise.all([
    listLabels(db, boardId),
    db('board_columns').where({ board_id: boardId }).orderBy([{ column: 'position' }, { column: 'id' }]) as Promise<ColumnRow[]>,
    // A technician's board holds only the cards assigned to them; their counts are of those.
    listBoardTasks(db, boardId, viewer.role === 'technician' ? viewer.id : undefined),
  ]);
  const byColumn = new Map(columns.map((column) => [column.id, { ...toColumnView(column), count: 0, tasks: [] as BoardView['columns'][number]['tasks'] }]));
  for (const task of tasks) {
    const column = byColumn.get(task.columnId)!;
    column.tasks.push(task);
    column.count += 1;
  }
  return {
    id: board.id,
    name: board.name,
    project: { id: board.project_id, name: board.project_name },
    providerId: board.provider_id,
    organization: board.organization_id === null ? null : { id: board.organization_id, name: board.organization_name },
    archived: board.archived_at !== null,
    role: viewer.role,
    labels,
    columns: [...byColumn.values()],
  };
}

export async function boardIdsOfProject(db: Conn, projectId: number): Promise<number[]> {
  return db('boards').where({ project_id: projectId }).orderBy('id').pluck('id');
}

/** The caller's own board: the one their bookings land on, else the first of the projects they own. */
export async function findOwnBoardId(db: Conn, userId: number): Promise<number | undefined> {
  const own = await db('boards as b')
    .join('projects as p', 'p.id', 'b.project_id')
    .where('b.provider_id', userId)
    .orWhere('p.owner_id', userId)
    .orderByRaw('(b.provider_id = ?) desc nulls last, b.id', [userId])
    .first('b.id');
  return own?.id;
}

export async function listOwnProjects(db: Conn, userId: number): Promise<Array<{ id: number; name: string; boardIds: number[] }>> {
  const rows = await db('projects as p')
    .leftJoin('boards as b', 'b.project_id', 'p.id')
    .where('p.owner_id', userId)
    .groupBy('p.id')
    .orderBy('p.id')
    .select('p.id', 'p.name', db.raw("coalesce(array_agg(b.id order by b.id) filter (where b.id is not null), '{}') as board_ids"));
  return rows.map((row: { id: number; name: string; board_ids: Array<number | string> }) => ({ id: row.id, name: row.name, boardIds: row.board_ids.map(Number) }));
}

/** The columns a new project's board starts with; people rename and add to them. */
const STARTER_COLUMNS = ['To do', 'In progress', 'Done'];

/** A project with its first board; `organizationId` makes the board the organization's (its members work on it). */
export async function insertProjectWithBoard(trx: Knex.Transaction, ownerId: number, name: string, board: { name?: string; organizationId?: number | null } = {}): Promise<{ projectId: number; boardId: number }> {
  const [project] = await trx('projects').insert({ owner_id: ownerId, name }).returning('id');
  const [{ id: boardId }] = await trx('boards').insert({ project_id: project.id, name: board.name ?? 'Board', organization_id: board.organizationId ?? null }).returning('id');
  await trx('board_columns').insert(STARTER_COLUMNS.map((column, index) => ({ board_id: boardId, name: column, position: (index + 1) * POSITION_GAP })));
  return { projectId: project.id, boardId };
}

export async function updateBoard(db: Conn, boardId: number, changes: { name?: string; archived?: boolean }): Promise<void> {
  const update: Record<string, unknown> = {};
  if (changes.name !== undefined) update.name = changes.name;
  if (changes.archived !== undefined) update.archived_at = changes.archived ? db.fn.now() : null;
  if (Object.keys(update).length) await db('boards').where({ id: boardId }).update(update);
}

/** A column position after `afterColumnId` (null: first; undefined: last) on the board, or null when that column is not there. */
async function columnPositionAfter(trx: Knex.Transaction, boardId: number, afterColumnId: number | null | undefined, movingId: number | null): Promise<number | null> {
  const others = () => trx('board_columns').where({ board_id: boardId }).modify((q) => (movingId === null ? q : q.whereNot('id', movingId)));
  const edge = async (fn: 'min' | 'max', above?: number) =>
    ((await others().modify((q) => (above === undefined ? q : q.where('position', '>', above)))[fn]<{ p: number | null }>('position as p').first())?.p ?? null);
  if (afterColumnId === undefined) return positionBetween(await edge('max'), null, POSITION_GAP)!.position;
  if (afterColumnId === null) return positionBetween(null, await edge('min'), POSITION_GAP)!.position;
  const after = await others().where({ id: afterColumnId }).first('position');
  if (!after) return null;
  // Columns are few and seldom moved: halving their gaps stays exact far longer than anyone reorders them.
  return positionBetween(after.position, await edge('min', after.position), POSITION_GAP)?.position ?? null;
}

export async function insertColumn(trx: Knex.Transaction, boardId: number, column: { name: string; wipLimit: number | null; afterColumnId?: number }): Promise<ColumnView | null> {
  const position = await columnPositionAfter(trx, boardId, column.afterColumnId, null);
  if (position === null) return null;
  const [row] = await trx('board_columns').insert({ board_id: boardId, name: column.name, wip_limit: column.wipLimit, position }).returning('*');
  return toColumnView(row);
}

export async function updateColumn(trx: Knex.Transaction, column: ColumnView, changes: { name?: string; wipLimit?: number | null; afterColumnId?: number | null }): Promise<ColumnView | null> {
  const update: Record<string, unknown> = {};
  if (changes.name !== undefined) update.name = changes.name;
  if (changes.wipLimit !== undefined) update.wip_limit = changes.wipLimit;
  if (changes.afterColumnId !== undefined) {
    const position = await columnPositionAfter(trx, column.boardId, changes.afterColumnId, column.id);
    if (position === null) return null;
    update.position = position;
  }
  if (Object.keys(update).length === 0) return column;
  const [row] = await trx('board_columns').where({ id: column.id }).update(update).returning('*');
  return toColumnView(row);
}

export async function countColumnTasks(db: Conn, columnId: number): Promise<number> {
  const row = await db('tasks').where({ column_id: columnId }).count<{ n: string }>('* as n').first();
  return Number(row?.n ?? 0);
}

export async function deleteColumn(trx: Knex.Transaction, columnId: number): Promise<void> {
  await trx('board_columns').where({ id: columnId }).delete();
}
