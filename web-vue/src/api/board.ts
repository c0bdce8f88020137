/** The board API (docs/api-board.md): boards read whole, cards and columns changed on the version seen. */
import { http } from './http';
import type { BookingState } from './bookings';
import type { Id } from './types';

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

export interface Comment {
  id: Id;
  taskId: Id;
  author: { id: Id; name: string } | null;
  body: string;
  createdAt: string;
}

export interface ChecklistItem {
  id: Id;
  taskId: Id;
  text: string;
  done: boolean;
}

export interface Activity {
  kind: 'created' | 'moved' | 'edited' | 'assigned' | 'commented' | 'booking';
  actor: { id: Id; name: string } | null;
  detail: Record<string, unknown>;
  at: string;
}

export interface Column {
  id: Id;
  boardId: Id;
  name: string;
  position: number;
  wipLimit: number | null;
  bookingState: BookingState | null;
}

export type BoardRole = 'owner' | 'editor' | 'viewer' | 'technician';
export type BoardMemberRole = Exclude<BoardRole, 'owner'>;

export interface BoardSummary {
  id: Id;
  name: string;
  project: { id: Id; name: string };
  organization: { id: Id; name: string } | null;
  providerId: Id | null;
  archived: boolean;
  role: BoardRole;
}

export type LabelColor = 'neutral' | 'primary' | 'secondary' | 'accent' | 'info' | 'success' | 'warning' | 'error';
export const LABEL_COLORS: LabelColor[] = ['neutral', 'primary', 'secondary', 'accent', 'info', 'success', 'warning', 'error'];

export interface Label {
  id: Id;
  boardId: Id;
  name: string;
  color: LabelColor;
}

export interface BoardMember {
  userId: Id;
  name: string;
  role: BoardMemberRole;
}

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
  members: (id: Id) => http.get<{ items: BoardMember[] }>(`/boards/${id}/members`),
  putMember: (id: Id, userId: Id, role: BoardMemberRole) => http.put<{ items: BoardMember[] }>(`/boards/${id}/members/${userId}`, { role }),
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
  comments: (taskId: Id) => http.get<{ items: Comment[] }>(`/tasks/${taskId}/comments`),
  addComment: (taskId: Id, body: string) => http.post<Comment>(`/tasks/${taskId}/comments`, { body }),
  activity: (taskId: Id) => http.get<{ items: Activity[] }>(`/tasks/${taskId}/activity`),
  checklist: (taskId: Id) => http.get<{ items: ChecklistItem[] }>(`/tasks/${taskId}/checklist`),
  addChecklistItem: (taskId: Id, text: string) => http.post<ChecklistItem>(`/tasks/${taskId}/checklist`, { text }),
  updateChecklistItem: (id: Id, body: { text?: string; done?: boolean }) => http.patch<ChecklistItem>(`/checklist-items/${id}`, body),
  deleteChecklistItem: (id: Id) => http.delete(`/checklist-items/${id}`),
};
