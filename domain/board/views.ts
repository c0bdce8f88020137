import type { BookingState } from '../bookings/lifecycle.ts';
import type { TaskPriority } from './requests.ts';

/** What the board API answers and announces on `board:<id>`. */

export interface TaskView {
  id: number;
  boardId: number;
  columnId: number;
  title: string;
  description: string;
  priority: TaskPriority;
  dueAt: string | null;
  labels: string[];
  position: number;
  version: number;
  assignee: { id: number; name: string } | null;
  /** Set on a booking's card: who, what and when, and where to open it. */
  booking: { id: number; state: BookingState; customerName: string; serviceTitle: string; startsAt: string; link: string } | null;
  updatedAt: string;
}

export interface ColumnView {
  id: number;
  boardId: number;
  name: string;
  position: number;
  wipLimit: number | null;
  bookingState: BookingState | null;
}

export interface BoardView {
  id: number;
  name: string;
  project: { id: number; name: string };
  providerId: number | null;
  columns: Array<ColumnView & { count: number; tasks: TaskView[] }>;
}
