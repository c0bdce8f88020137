import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import { POSITION_GAP } from './board-tasks.ts';
import { positionBetween } from '../../domain/board/positions.ts';
import type { TaskFields, TaskPriority } from '../../domain/board/requests.ts';
import type { TaskView } from '../../domain/board/views.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';

type Conn = Db | Knex.Transaction;

interface TaskViewRow {
  id: number;
  board_id: number;
  column_id: number;
  title: string;
  description: string;
  priority: TaskPriority;
  due_at: Date | null;
  labels: string[];
  position: number;
  version: number;
  assignee_id: number | null;
  assignee_name: string | null;
  booking_id: number | null;
  booking_state: BookingState | null;
  customer_name: string | null;
  service_title: string | null;
  starts_at: Date | null;
  updated_at: Date;
}

/**
 * Cards with what a screen shows of them: the assignee's name, and a booking's customer, service and time.
 * `from` may name a CTE of task rows (a write's `returning *`) instead of the table.
 */
export function taskViewQuery(db: Conn, from = 'tasks') {
  return db(`${from} as t`)
    .leftJoin('users as a', 'a.id', 't.assignee_id')
    .leftJoin('bookings as b', 'b.id', 't.booking_id')
    .leftJoin('users as c', 'c.id', 'b.customer_id')
    .leftJoin('services as s', 's.id', 'b.service_id')
    .select(
      't.id', 't.board_id', 't.column_id', 't.title', 't.description', 't.priority', 't.due_at', 't.labels', 't.position', 't.version',
      't.assignee_id', 'a.name as assignee_name', 't.booking_id', 'b.state as booking_state', 'c.name as customer_name',
      's.title as service_title', 'b.starts_at', 't.updated_at',
    );
}

export function toTaskView(row: TaskViewRow): TaskView {
  return {
    id: row.id,
    boardId: row.board_id,
    columnId: row.column_id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    dueAt: row.due_at?.toISOString() ?? null,
    labels: row.labels,
    position: row.position,
    version: row.version,
    assignee: row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name ?? '' },
    booking:
      row.booking_id === null
        ? null
        : {
            id: row.booking_id,
            state: row.booking_state!,
            customerName: row.customer_name ?? '',
            serviceTitle: row.service_title ?? '',
            startsAt: row.starts_at!.toISOString(),
            link: `/bookings/${row.booking_id}`,
          },
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findTaskView(db: Conn, id: number): Promise<TaskView | undefined> {
  const row = (await taskViewQuery(db).where('t.id', id).first()) as TaskViewRow | undefined;
  return row && toTaskView(row);
}

export async function listBoardTasks(db: Conn, boardId: number): Promise<TaskView[]> {
  const rows = (await taskViewQuery(db).where('t.board_id', boardId).orderBy([{ column: 't.position' }, { column: 't.id' }])) as TaskViewRow[];
  return rows.map(toTaskView);
}

/** The facts the API checks before it changes a card. */
export interface TaskFacts {
  id: number;
  boardId: number;
  columnId: number;
  bookingId: number | null;
  version: number;
  ownerId: number;
  providerId: number | null;
}

/** The card joined to its board's owners; `TASK_FACTS` are the columns `toTaskFacts` reads. */
export function taskFactsQuery(db: Conn, id: number) {
  return db('tasks as t').join('boards as b', 'b.id', 't.board_id').join('projects as p', 'p.id', 'b.project_id').where('t.id', id);
}

export const TASK_FACTS = ['t.id', 't.board_id', 't.column_id', 't.booking_id', 't.version', 'p.owner_id', 'b.provider_id'];

export function toTaskFacts(row: { id: number; board_id: number; column_id: number; booking_id: number | null; version: number; owner_id: number; provider_id: number | null }): TaskFacts {
  return { id: row.id, boardId: row.board_id, columnId: row.column_id, bookingId: row.booking_id, version: row.version, ownerId: row.owner_id, providerId: row.provider_id };
}

export async function findTaskFacts(db: Conn, id: number): Promise<TaskFacts | undefined> {
  const row = await taskFactsQuery(db, id).first(TASK_FACTS);
  return row && toTaskFacts(row);
}

/** Where a card should go in a column: after one card, before one, or (neither) at the bottom. */
export interface Anchor {
  columnId: number;
  afterId?: number;
  beforeId?: number;
}

export class AnchorMissing extends Error {}

export interface Around {
  prev: number | null;
  next: number | null;
}

/**
 * SQL for the neighbours' positions around the anchor (`prev`, `next`) and whether the anchor card is
 * in the column (`found`), leaving `movingId` out; `anchor` is the body of a CTE of that name. One
 * round trip, so a move holds its column's lock for as few statements as can be.
 */
export function aroundSql(anchor: Anchor, movingId: number | null): { anchor: string; columns: string; bindings: Record<string, unknown> } {
  const others = 'from tasks where column_id = :columnId and id is distinct from :movingId';
  const anchorId = anchor.afterId ?? anchor.beforeId ?? null;
  const at = '(select position from anchor)';
  const [prev, next] =
    anchor.afterId !== undefined
      ? [at, `(select min(position) ${others} and position > ${at})`]
      : anchor.beforeId !== undefined
        ? [`(select max(position) ${others} and position < ${at})`, at]
        : [`(select max(position) ${others})`, 'null'];
  const found = anchorId === null ? 'true' : 'exists (select 1 from anchor)';
  return {
    anchor: `select position ${others} and id = :anchorId`,
    columns: `${prev} as prev, ${next} as next, ${found} as found`,
    bindings: { columnId: anchor.columnId, movingId, anchorId },
  };
}

function aroundOf(row: { prev: number | null; next: number | null; found: boolean }): Around {
  if (!row.found) throw new AnchorMissing();
  return { prev: row.prev, next: row.next };
}

/** The neighbours around the anchor; the anchor card must be in the column now, else the client's view is stale. */
async function neighbours(trx: Knex.Transaction, anchor: Anchor, movingId: number | null): Promise<Around> {
  const sql = aroundSql(anchor, movingId);
  const { rows } = await trx.raw(`with anchor as (${sql.anchor}) select ${sql.columns}`, sql.bindings);
  return aroundOf(rows[0]);
}

/**
 * A position for a card at the anchor. The caller holds the column's lock, so no other move
 * picks the same spot. When the doubles between two neighbours are used up the column is
 * renumbered first (rare: the background rebalance keeps gaps wide); `crowded` asks for that.
 * `around` is the neighbours when the caller has read them already (`lockTaskAt`).
 */
export async function placeAt(trx: Knex.Transaction, anchor: Anchor, movingId: number | null, around?: Around): Promise<{ position: number; crowded: boolean } & Around> {
  around ??= await neighbours(trx, anchor, movingId);
  let placement = positionBetween(around.prev, around.next, POSITION_GAP);
  if (!placement) {
    await renumberColumn(trx, anchor.columnId);
    around = await neighbours(trx, anchor, movingId);
    placement = positionBetween(around.prev, around.next, POSITION_GAP)!;
  }
  return { ...placement, ...around };
}

/**
 * Evenly spaced positions for the column's cards in their current order; versions stay, as nobody's view of the order changes.
 * The column test is repeated on the row being written: a card moved out meanwhile keeps the position its move gave it.
 */
export async function renumberColumn(trx: Knex.Transaction, columnId: number): Promise<Array<[number, number]>> {
  const { rows } = await trx.raw<{ rows: Array<{ id: number; position: number }> }>(
    `update tasks t set position = r.n * ? from (select id, row_number() over (order by position, id) as n from tasks where column_id = ?) r
     where t.id = r.id and t.column_id = ? returning t.id, t.position`,
    [POSITION_GAP, columnId, columnId],
  );
  return rows.map((row) => [row.id, row.position]);
}

/** Locks the column (moves into one column take turns) and says which board it is on. */
export async function lockColumn(trx: Knex.Transaction, columnId: number): Promise<{ boardId: number } | undefined> {
  const row = await trx('board_columns').where({ id: columnId }).forUpdate().first('board_id');
  return row && { boardId: row.board_id };
}

export async function lockTask(trx: Knex.Transaction, id: number): Promise<{ columnId: number; position: number; version: number; bookingId: number | null } | undefined> {
  const row = await trx('tasks').where({ id }).forUpdate().first('column_id', 'position', 'version', 'booking_id');
  return row && { columnId: row.column_id, position: row.position, version: row.version, bookingId: row.booking_id };
}

/**
 * Locks the card and reads the neighbours around the anchor in one statement. Called under the
 * column's lock, so the neighbours read are those the move will sit between.
 */
export async function lockTaskAt(trx: Knex.Transaction, id: number, anchor: Anchor): Promise<{ columnId: number; position: number; version: number; around: Around } | undefined> {
  const sql = aroundSql(anchor, id);
  const { rows } = await trx.raw(`with anchor as (${sql.anchor}) select t.column_id, t.position, t.version, ${sql.columns} from tasks t where t.id = :movingId for update of t`, sql.bindings);
  const row = rows[0];
  return row && { columnId: row.column_id, position: row.position, version: row.version, around: aroundOf(row) };
}

/** Writes the move (one row, `version + 1`) and answers the card as a screen shows it, in one round trip; `guard` adds conditions that must hold for the write to land (undefined when they do not). */
export async function moveTaskRow(trx: Knex.Transaction, id: number, columnId: number, position: number, guard?: (query: Knex.QueryBuilder) => void): Promise<TaskView | undefined> {
  const moved = trx('tasks').where({ id }).modify((query) => guard?.(query)).update({ column_id: columnId, position, version: trx.raw('version + 1'), updated_at: trx.fn.now() }).returning('*');
  const row = (await taskViewQuery(trx, 'moved').with('moved', moved).first()) as TaskViewRow | undefined;
  return row && toTaskView(row);
}

/**
 * The move into the gap `seen` (neighbours read before the column's lock was taken), written only
 * if under the lock the card is still at `version`, the anchor still bounds the gap and no card has
 * landed in it: the one statement a move then needs under the lock. Undefined when anything changed,
 * the gap is used up or the card is there already; the caller then takes the locked path.
 */
export async function moveIntoSeenGap(trx: Knex.Transaction, id: number, anchor: Anchor, version: number, seen: Around & { current: { columnId: number; position: number } }): Promise<{ task: TaskView; crowded: boolean } | undefined> {
  const placement = positionBetween(seen.prev, seen.next, POSITION_GAP);
  const { current } = seen;
  const alreadyThere = current.columnId === anchor.columnId && (seen.prev === null || current.position > seen.prev) && (seen.next === null || current.position < seen.next);
  if (!placement || alreadyThere) return undefined;
  const task = await moveTaskRow(trx, id, anchor.columnId, placement.position, (query) => {
    query.where('version', version);
    const landed = trx('tasks').where('column_id', anchor.columnId).whereNot('id', id);
    if (seen.prev !== null) landed.where('position', '>', seen.prev);
    if (seen.next !== null) landed.where('position', '<', seen.next);
    query.whereNotExists(landed);
    const anchorId = anchor.afterId ?? anchor.beforeId;
    const bound = anchor.afterId !== undefined ? seen.prev : seen.next;
    if (anchorId !== undefined) query.whereExists(trx('tasks').where({ id: anchorId, column_id: anchor.columnId, position: bound }));
  });
  return task && { task, crowded: placement.crowded };
}

export interface NewTask {
  boardId: number;
  columnId: number;
  position: number;
  title: string;
  description: string;
  assigneeId: number | null;
  priority: TaskPriority;
  dueAt: string | null;
  labels: string[];
}

export async function insertTask(trx: Knex.Transaction, task: NewTask): Promise<number> {
  const [row] = await trx('tasks')
    .insert({
      board_id: task.boardId,
      column_id: task.columnId,
      position: task.position,
      title: task.title,
      description: task.description,
      assignee_id: task.assigneeId,
      priority: task.priority,
      due_at: task.dueAt,
      labels: task.labels,
    })
    .returning('id');
  return row.id;
}

export async function updateTaskRow(trx: Knex.Transaction, id: number, fields: TaskFields & { assigneeId?: number | null }): Promise<void> {
  const changes: Record<string, unknown> = {};
  if (fields.title !== undefined) changes.title = fields.title;
  if (fields.description !== undefined) changes.description = fields.description;
  if (fields.priority !== undefined) changes.priority = fields.priority;
  if (fields.dueAt !== undefined) changes.due_at = fields.dueAt;
  if (fields.labels !== undefined) changes.labels = fields.labels;
  if (fields.assigneeId !== undefined) changes.assignee_id = fields.assigneeId;
  await trx('tasks').where({ id }).update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() });
}

export async function deleteTaskRow(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('tasks').where({ id }).delete();
}

type AssigningBoard = { ownerId: number; providerId: number | null };

/**
 * The people a card on this board may be given to: the board's owner and provider, the editor,
 * and members of the editor's organizations; none whose account is disabled. One query for both
 * the list the card dialog offers and the check an assignment passes, so the two cannot differ.
 */
function assignable(db: Conn, board: AssigningBoard, editorId: number): Knex.QueryBuilder {
  const own = [board.ownerId, board.providerId, editorId].filter((id): id is number => id !== null);
  return db('users as u')
    .whereNull('u.disabled_at')
    .where((q) =>
      q.whereIn('u.id', own).orWhereExists((shared) =>
        shared.select(db.raw('1')).from('memberships as mine').join('memberships as theirs', 'theirs.organization_id', 'mine.organization_id').where('mine.user_id', editorId).whereRaw('theirs.user_id = u.id'),
      ),
    );
}

export async function isAssignable(db: Conn, assigneeId: number, board: AssigningBoard, editorId: number): Promise<boolean> {
  return (await assignable(db, board, editorId).where('u.id', assigneeId).first('u.id')) !== undefined;
}

/** Whom the editor may give this board's cards to, by name (ids and names only: no emails). */
export async function assignablePeople(db: Conn, board: AssigningBoard, editorId: number): Promise<Array<{ id: number; name: string }>> {
  return assignable(db, board, editorId).orderBy([{ column: 'u.name' }, { column: 'u.id' }]).select('u.id', 'u.name');
}
