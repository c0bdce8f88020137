/** The board API (docs/api-board.md): boards read whole, cards and columns changed on the version seen. */
import { http } from './http';
import type { BookingState } from './bookings';
import type { Id } from './types';
import type { BoardRole } from '../../../domain/board/access.ts';
import type { ActivityView, BoardMemberView, BoardSummary, ChecklistItemView, CommentView, LabelView as Label } from '../../../domain/board/views.ts';

export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface Task {
  id: Id;
  boardId: Id;
  columnId: Id;
  title: string;
  description: string;
  priority: TaskPriority;
  dueAt: string | null;
  labels: string[];
  position: number;
  version: number;
  assignee: { id: Id; name: string } | null;
  booking: { id: Id; state: BookingState; customerName: string; serviceTitle: string; startsAt: string; link: string } | null;
  checklist: { done: number; total: number };
  commentCount: number;
  updatedAt: string;
}




export interface Column {
  id: Id;
  boardId: Id;
  name: string;
  position: number;
  wipLimit: number | null;
  bookingState: BookingState | null;
}

export type { BoardMemberRole, BoardRole } from '../../../domain/board/access.ts';
export type {
  ActivityView as Activity,
  BoardMemberView as BoardMember,
  BoardSummary,
  ChecklistItemView as ChecklistItem,
  CommentView as Comment,
  LabelView as Label,
} from '../../../domain/board/views.ts';


export type LabelColor = Label['color'];
export const LABEL_COLORS: LabelColor[] = ['neutral', 'primary', 'secondary', 'accent', 'info', 'success', 'warning', 'error'];



export interface Board {
  id: Id;
  name: string;
  project: { id: Id; name: string };
  providerId: Id | null;
  organization: { id: Id; name: string } | null;
  archived: boolean;
  role: BoardRole;
  labels: Label[];
  columns: Array<Column & { count: number; tasks: Task[] }>;
}

/** What the card dialog changes, on the version it showed. */
export type TaskChanges = Partial<Pick<Task, 'title' | 'description' | 'priority' | 'labels' | 'dueAt'>> & { assigneeId?: Id | null; version: number };

export interface Move {
  taskId: Id;
  columnId: Id;
  afterId?: Id;
  beforeId?: Id;
  version: number;
}

export const boardApi = {
  list: (archived = false) => http.get<{ items: BoardSummary[] }>(`/boards?archived=${archived}`),
  create: (body: { name: string; organizationId: Id | null }) => http.post<Board>('/boards', body),
  patch: (id: Id, body: { name?: string; archived?: boolean }) => http.patch<Board>(`/boards/${id}`, body),
  members: (id: Id) => http.get<{ items: BoardMemberView[] }>(`/boards/${id}/members`),
  putMember: (id: Id, userId: Id, role: BoardMemberView['role']) => http.put<{ items: BoardMemberView[] }>(`/boards/${id}/members/${userId}`, { role }),
  removeMember: (id: Id, userId: Id) => http.delete(`/boards/${id}/members/${userId}`),
  addLabel: (boardId: Id, body: { name: string; color: LabelColor }) => http.post<Label>(`/boards/${boardId}/labels`, body),
  updateLabel: (id: Id, body: { name?: string; color?: LabelColor }) => http.patch<Label>(`/labels/${id}`, body),
  deleteLabel: (id: Id) => http.delete(`/labels/${id}`),
  mine: () => http.get<Board>('/boards/mine'),
  byId: (id: Id) => http.get<Board>(`/boards/${id}`),
  ofProject: (projectId: Id) => http.get<{ project: { id: Id; name: string }; boards: Board[] }>(`/projects/${projectId}/board`),
  createProject: (name: string) => http.post<{ id: Id; name: string; boardIds: Id[] }>('/projects', { name }),
  assignees: (boardId: Id) => http.get<{ items: Array<{ id: Id; name: string }> }>(`/boards/${boardId}/assignees`),
  task: (id: Id) => http.get<Task>(`/tasks/${id}`),
  createTask: (boardId: Id, body: { columnId: Id; title: string }) => http.post<Task>(`/boards/${boardId}/tasks`, body),
  updateTask: (id: Id, body: TaskChanges) => http.patch<Task>(`/tasks/${id}`, body),
  reorder: (move: Move) => http.post<Task>('/tasks/reorder', move),
  addColumn: (boardId: Id, body: { name: string; wipLimit?: number | null }) => http.post<Column>(`/boards/${boardId}/columns`, body),
  updateColumn: (id: Id, body: { name?: string; wipLimit?: number | null }) => http.patch<Column>(`/columns/${id}`, body),
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
