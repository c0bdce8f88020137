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

export interface Board {
  id: Id;
  name: string;
  project: { id: Id; name: string };
  providerId: Id | null;
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
};
