import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { boardApi, type Board, type ChecklistItem, type Column, type Comment, type Move, type Task } from '../api/board';
import { isProblem } from '../api/http';
import type { PushEvent } from '../api/push-protocol';
import type { Id } from '../api/types';
import { bookingsApi } from '../api/bookings';
import { formatMoment } from '../components/bookings/format';
import { usePresenceStore } from './presence.store';
import { usePushStore } from './push.store';
import { useToastStore } from './toast.store';
import { useAuthStore } from './auth.store';

/** When a card is due, as the filter offers it: past its due time, within the next 7 days, or with none. */
export type DueFilter = 'overdue' | 'week' | 'none';

export interface BoardFilters {
  assigneeId: Id | null;
  label: string | null;
  due: DueFilter | null;
  text: string;
}

/** What happens on a card that its open dialog follows: comments and checklist changes, live. */
export type CardEvent =
  | { kind: 'comment'; taskId: Id; comment: Comment }
  | { kind: 'checklist'; taskId: Id; item?: ChecklistItem; deletedId?: Id };

const byPosition = (a: Task, b: Task) => a.position - b.position || a.id - b.id;
const LOCAL_GAP = 1024;

/**
 * One board on screen, kept in the server's order. A move shows at once (optimistic), is sent as
 * one request, then confirmed or rolled back with the reason shown. Changes from others arrive on
 * `board:<id>`; a card's version decides which of two copies is newer, so every screen converges.
 */
export const useBoardStore = defineStore('board', () => {
  const push = usePushStore();
  const presence = usePresenceStore();
  const toast = useToastStore();
  const auth = useAuthStore();

  const board = shallowRef<Omit<Board, 'columns'> | null>(null);
  const columns = ref<Column[]>([]);
  /** Each column's cards in order; arrays are replaced, never mutated, so a change redraws one column. */
  const cards = shallowRef<Record<Id, readonly Task[]>>({});
  const filters = ref<BoardFilters>({ assigneeId: null, label: null, due: null, text: '' });
  const cardListeners = new Set<(event: CardEvent) => void>();
  /** Cards with a move or edit in flight: live events for them wait until the answer is in. */
  const inFlight = new Map<Id, boolean>();
  let leave: (() => void) | null = null;
  let load: (() => Promise<Board>) | null = null;

  const topic = computed(() => (board.value ? `board:${board.value.id}` : ''));

  function setBoard(loaded: Board): void {
    const { columns: withCards, ...rest } = loaded;
    board.value = rest;
    columns.value = withCards.map(({ tasks: _tasks, count: _count, ...column }) => column);
    cards.value = Object.fromEntries(withCards.map((column) => [column.id, column.tasks.map((task) => Object.freeze(task))]));
  }

  /** Loads a board and follows it live until `close`. */
  async function open(loader: () => Promise<Board>): Promise<void> {
    close();
    load = loader;
    setBoard(await loader());
    const name = topic.value;
    const boardId = board.value!.id;
    // A technician may not follow the board's topic (it carries every card): their cards come on their own.
    const stopEvents =
      board.value!.role === 'technician' && auth.user
        ? push.subscribe(`user:${auth.user.id}`, {
            onEvent: (event) => {
              const mine = event.data as { event: string; data: { boardId: Id } };
              if (event.event === 'board.task' && mine.data.boardId === boardId) receive({ ...event, event: mine.event, data: mine.data });
            },
            onResync: () => void reload(),
          })
        : push.subscribe(name, { onEvent: receive, onResync: () => void reload() });
    const stopPresence = presence.track(name);
    leave = () => {
      stopEvents();
      stopPresence();
    };
  }

  async function reload(): Promise<void> {
    if (load) setBoard(await load());
  }

  function close(): void {
    leave?.();
    leave = null;
    board.value = null;
    cards.value = {};
    columns.value = [];
  }

  function find(id: Id): Task | undefined {
    for (const list of Object.values(cards.value)) {
      const task = list.find((t) => t.id === id);
      if (task) return task;
    }
    return undefined;
  }

  /** Puts a card where its columnId and position say, replacing any older copy. */
  function place(task: Task): void {
    const next = { ...cards.value };
    for (const [columnId, list] of Object.entries(next)) {
      if (list.some((t) => t.id === task.id)) next[Number(columnId)] = list.filter((t) => t.id !== task.id);
    }
    if (next[task.columnId]) next[task.columnId] = [...next[task.columnId], Object.freeze(task)].sort(byPosition);
    cards.value = next;
  }

  function remove(id: Id): void {
    cards.value = Object.fromEntries(Object.entries(cards.value).map(([columnId, list]) => [columnId, list.filter((t) => t.id !== id)]));
  }

  /** Keeps the newer copy: a version never goes back. */
  function upsert(task: Task): void {
    const current = find(task.id);
    if (!current || task.version > current.version) place(task);
  }

  /** Changes a card's counts in place: they are not part of its version, so no copy is newer. */
  function patchCard(id: Id, changes: Partial<Pick<Task, 'checklist' | 'commentCount'>>): void {
    const task = find(id);
    if (!task) return;
    cards.value = { ...cards.value, [task.columnId]: cards.value[task.columnId].map((t) => (t.id === id ? Object.freeze({ ...t, ...changes }) : t)) };
  }

  /** Follows what happens on cards (an open card's dialog listens); returns the function that stops. */
  function onCardEvent(listener: (event: CardEvent) => void): () => void {
    cardListeners.add(listener);
    return () => cardListeners.delete(listener);
  }

  function receiveCardEvent(event: PushEvent): void {
    const data = event.data as { taskId: Id; comment?: Comment; commentCount?: number; checklist?: Task['checklist']; item?: ChecklistItem; deletedId?: Id };
    if (event.event === 'comment.created' && data.comment) {
      patchCard(data.taskId, { commentCount: data.commentCount });
      for (const listener of cardListeners) listener({ kind: 'comment', taskId: data.taskId, comment: data.comment });
    } else if (event.event === 'checklist.changed') {
      patchCard(data.taskId, { checklist: data.checklist });
      for (const listener of cardListeners) listener({ kind: 'checklist', taskId: data.taskId, item: data.item, deletedId: data.deletedId });
    }
  }

  function receive(event: PushEvent): void {
    if (event.event === 'board.updated' || event.event === 'labels.changed') return void reload();
    if (event.event === 'comment.created' || event.event === 'checklist.changed') return receiveCardEvent(event);
    const data = event.data as { taskId?: Id; columnId?: Id; task?: Task; column?: Column; positions?: Array<[Id, number]> };
    if (event.event.startsWith('task.') && data.taskId !== undefined) {
      if (inFlight.has(data.taskId)) {
        inFlight.set(data.taskId, true); // seen while we wait: fetched again once our answer is in
        return;
      }
      if (event.event === 'task.deleted') remove(data.taskId);
      else if (data.task) upsert(data.task);
      else void refetch(data.taskId); // the booking actor announces only ids
      return;
    }
    if ((event.event === 'column.created' || event.event === 'column.updated') && data.column) {
      putColumn(data.column);
    } else if (event.event === 'column.deleted' && data.columnId !== undefined) {
      dropColumn(data.columnId);
    } else if (event.event === 'column.rebalanced' && data.columnId !== undefined && data.positions) {
      const positions = new Map(data.positions);
      const list = cards.value[data.columnId] ?? [];
      cards.value = { ...cards.value, [data.columnId]: list.map((t) => Object.freeze({ ...t, position: positions.get(t.id) ?? t.position })).sort(byPosition) };
    }
  }

  async function refetch(id: Id): Promise<void> {
    try {
      upsert(await boardApi.task(id));
    } catch (error) {
      if (isProblem(error, 404)) remove(id);
    }
  }

  /** Runs a change of one card with its live events held back, then catches up on what others did meanwhile. */
  async function withCard<T>(id: Id, change: () => Promise<T>): Promise<T> {
    inFlight.set(id, false);
    try {
      return await change();
    } finally {
      const missed = inFlight.get(id);
      inFlight.delete(id);
      if (missed) void refetch(id);
    }
  }

  /**
   * Whether a booking's card may go to In progress now: the booking's actor refuses to start the
   * work early, so the card stays and the toast says from when (the booking knows; its card does not).
   */
  async function workMayStart(task: Task, columnId: Id): Promise<boolean> {
    if (task.booking?.state !== 'accepted' || columns.value.find((c) => c.id === columnId)?.bookingState !== 'in_progress') return true;
    const { startOpensAt } = await bookingsApi.get(task.booking.id);
    if (Date.now() >= Date.parse(startOpensAt)) return true;
    toast.show(`Work on this booking can start from ${formatMoment(startOpensAt)}.`, 'error');
    return false;
  }

  /** Moves a card next to `afterId` / before `beforeId` in a column: shown now, undone with the reason if refused. */
  async function move(taskId: Id, columnId: Id, anchor: { afterId?: Id; beforeId?: Id }): Promise<boolean> {
    const task = find(taskId);
    if (!task) return false;
    if (!(await workMayStart(task, columnId))) return false;
    const list = (cards.value[columnId] ?? []).filter((t) => t.id !== taskId);
    const after = anchor.afterId !== undefined ? list.find((t) => t.id === anchor.afterId) : undefined;
    const before = anchor.beforeId !== undefined ? list.find((t) => t.id === anchor.beforeId) : list.find((t) => after && t.position > after.position);
    const position =
      after && before ? (after.position + before.position) / 2 : after ? after.position + LOCAL_GAP : before ? before.position - LOCAL_GAP : (list.at(-1)?.position ?? 0) + LOCAL_GAP;
    place({ ...task, columnId, position });
    const request: Move = { taskId, columnId, version: task.version, ...anchor };
    return withCard(taskId, async () => {
      try {
        place(await boardApi.reorder(request));
        return true;
      } catch (error) {
        place(task);
        toast.show(isProblem(error) ? (error.detail ?? error.title) : 'The move did not go through.', 'error');
        if (isProblem(error, 409)) await refetch(taskId);
        return false;
      }
    });
  }

  async function update(task: Task, changes: Parameters<typeof boardApi.updateTask>[1]): Promise<void> {
    await withCard(task.id, async () => {
      try {
        place(await boardApi.updateTask(task.id, changes));
      } catch (error) {
        if (isProblem(error, 409)) await refetch(task.id);
        throw error;
      }
    });
  }

  async function addCard(columnId: Id, title: string): Promise<void> {
    if (board.value) upsert(await boardApi.createTask(board.value.id, { columnId, title }));
  }

  /** Shows a column as the server answered it (its live event, arriving too, changes nothing more). */
  function putColumn(column: Column): void {
    columns.value = [...columns.value.filter((c) => c.id !== column.id), column].sort((a, b) => a.position - b.position);
    if (!cards.value[column.id]) cards.value = { ...cards.value, [column.id]: [] };
  }

  function dropColumn(id: Id): void {
    columns.value = columns.value.filter((c) => c.id !== id);
  }

  /** Column changes are not optimistic: they are rare, and a refusal (a booking state's column, cards left) is shown as a toast. */
  async function changeColumns(change: () => Promise<void>): Promise<boolean> {
    try {
      await change();
      return true;
    } catch (error) {
      toast.show(isProblem(error) ? (error.detail ?? error.title) : 'The column did not change.', 'error');
      return false;
    }
  }

  const addColumn = (name: string) =>
    changeColumns(async () => {
      if (board.value) putColumn(await boardApi.addColumn(board.value.id, { name }));
    });
  const editColumn = (column: Column, changes: { name?: string; wipLimit?: number | null }) => changeColumns(async () => putColumn(await boardApi.updateColumn(column.id, changes)));
  const deleteColumn = (column: Column) =>
    changeColumns(async () => {
      await boardApi.deleteColumn(column.id);
      dropColumn(column.id);
    });

  const allCards = computed(() => Object.values(cards.value).flat());
  const assignees = computed(() => [...new Map(allCards.value.filter((t) => t.assignee).map((t) => [t.assignee!.id, t.assignee!])).values()]);
  /** The board's labels and any a card still carries, by name, for the filter. */
  const labels = computed(() => [...new Set([...(board.value?.labels ?? []).map((l) => l.name), ...allCards.value.flatMap((t) => t.labels)])].sort());
  const labelColors = computed(() => new Map((board.value?.labels ?? []).map((l) => [l.name, l.color])));
  const labelColor = (name: string) => labelColors.value.get(name) ?? 'neutral';

  const WEEK_MS = 7 * 24 * 3600 * 1000;
  function dueMatches(task: Task, due: DueFilter): boolean {
    const at = task.booking?.startsAt ?? task.dueAt;
    if (due === 'none') return at === null;
    if (at === null) return false;
    const left = Date.parse(at) - Date.now();
    return due === 'overdue' ? left < 0 && !task.booking : left >= 0 && left <= WEEK_MS;
  }

  function matches(task: Task): boolean {
    const { assigneeId, label, due, text } = filters.value;
    if (assigneeId !== null && task.assignee?.id !== assigneeId) return false;
    if (label && !task.labels.includes(label)) return false;
    if (due && !dueMatches(task, due)) return false;
    const needle = text.trim().toLowerCase();
    if (!needle) return true;
    return [task.title, task.description, task.booking?.customerName ?? '', task.booking?.serviceTitle ?? ''].some((field) => field.toLowerCase().includes(needle));
  }

  const filtering = computed(() => filters.value.assigneeId !== null || filters.value.label !== null || filters.value.due !== null || filters.value.text.trim() !== '');

  function visibleCards(columnId: Id): readonly Task[] {
    const list = cards.value[columnId] ?? [];
    return filtering.value ? list.filter(matches) : list;
  }

  return { board, columns, cards, filters, filtering, topic, assignees, labels, open, close, reload, find, move, update, addCard, addColumn, editColumn, deleteColumn, visibleCards, onCardEvent, refetch, labelColor };
});
