/** The board API (docs/api-board.md): boards read whole, cards and columns changed on the version seen. */
import { http } from './http';
import type { Id } from './types';
import type {
  ActivityView,
  BoardMemberView,
  BoardView,
  BoardSummary,
  ChecklistItemView,
  ColumnView,
  CommentView,
  LabelView as Label,
  TaskView,
} from '../../../domain/contract.ts';

export type {
  ActivityView as Activity,
  BoardMemberRole,
  BoardMemberView as BoardMember,
  BoardRole,
  BoardSummary,
  BoardView as Board,
  ChecklistItemView as ChecklistItem,
  ColumnView as Column,
  CommentView as Comment,
  LabelView as Label,
  TaskPriority,
  TaskView as Task,
} from '../../../domain/contract.ts';

export type LabelColor = Label['color'];
export const LABEL_COLORS: LabelColor[] = ['neutral', 'primary', 'secondary', 'accent', 'info', 'success', 'warning', 'error'];

/** What the card dialog changes, on the version it showed. */
export type TaskChanges = Partial<Pick<TaskView, 'title' | 'description' | 'priority' | 'labels' | 'dueAt'>> & { assigneeId?: Id | null; version: number };

export interface Move {
  taskId: Id;
  columnId: Id;
  afterId?: Id;
  beforeId?: Id;
  version: number;
}

export const boardApi = {
  list: (archived = false) => http.get<{ items: BoardSummary[] }>(`/boards?archived=${archived}`),
  create: (body: { name: string; organizationId: Id | null }) => http.post<BoardView>('/boards', body),
  patch: (id: Id, body: { name?: string; archived?: boolean }) => http.patch<BoardView>(`/boards/${id}`, body),
  members: (id: Id) => http.get<{ items: BoardMemberView[] }>(`/boards/${id}/members`),
  putMember: (id: Id, userId: Id, role: BoardMemberView['role']) => http.put<{ items: BoardMemberView[] }>(`/boards/${id}/members/${userId}`, { role }),
  removeMember: (id: Id, userId: Id) => http.delete(`/boards/${id}/members/${userId}`),
  addLabel: (boardId: Id, body: { name: string; color: LabelColor }) => http.post<Label>(`/boards/${boardId}/labels`, body),
  updateLabel: (id: Id, body: { name?: string; color?: LabelColor }) => http.patch<Label>(`/labels/${id}`, body),
  deleteLabel: (id: Id) => http.delete(`/labels/${id}`),
  mine: () => http.get<BoardView>('/boards/mine'),
  byId: (id: Id) => http.get<BoardView>(`/boards/${id}`),
  ofProject: (projectId: Id) => http.get<{ project: { id: Id; name: string }; boards: BoardView[] }>(`/projects/${projectId}/board`),
  createProject: (name: string) => http.post<{ id: Id; name: string; boardIds: Id[] }>('/projects', { name }),
  assignees: (boardId: Id) => http.get<{ items: Array<{ id: Id; name: string }> }>(`/boards/${boardId}/assignees`),
  task: (id: Id) => http.get<TaskView>(`/tasks/${id}`),
  createTask: (boardId: Id, body: { columnId: Id; title: string }) => http.post<TaskView>(`/boards/${boardId}/tasks`, body),
  updateTask: (id: Id, body: TaskChanges) => http.patch<TaskView>(`/tasks/${id}`, body),
  reorder: (move: Move) => http.post<TaskView>('/tasks/reorder', move),
  addColumn: (boardId: Id, body: { name: string; wipLimit?: number | null }) => http.post<ColumnView>(`/boards/${boardId}/columns`, body),
  updateColumn: (id: Id, body: { name?: string; wipLimit?: number | null }) => http.patch<ColumnView>(`/columns/${id}`, body),
  deleteColumn: (id: Id) => http.delete(`/columns/${id}`),
  comments: (taskId: Id) => http.get<{ items: CommentView[] }>(`/tasks/${taskId}/comments`),
  addComment: (taskId: Id, body: string) => http.post<CommentView>(`/tasks/${taskId}/comments`, { body }),
  mentionable: (taskId: Id) => http.get<{ items: Array<{ id: Id; name: string }> }>(`/tasks/${taskId}/mentionable`),
  activity: (taskId: Id) => http.get<{ items: ActivityView[] }>(`/tasks/${taskId}/activity`),
  checklist: (taskId: Id) => http.get<{ items: ChecklistItemView[] }>(`/tasks/${taskId}/checklist`),
  addChecklistItem: (taskId: Id, text: string) => http.post<ChecklistItemView>(`/tasks/${taskId}/checklist`, { text }),
  updateChecklistItem: (id: Id, body: { text?: string; done?: boolean }) => http.patch<ChecklistItemView>(`/checklist-items/${id}`, body),
  deleteChecklistItem: (id: Id) => http.delete(`/checklist-items/${id}`),
};
