import type { BookingState } from '../bookings/lifecycle.ts';
import type { LABEL_COLORS, TaskPriority } from './requests.ts';
import type { BoardMemberRole, BoardRole } from './access.ts';

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
  /** The card's checklist progress and how many comments it has, for its face. */
  checklist: { done: number; total: number };
  commentCount: number;
  updatedAt: string;
}

export interface BoardMemberView {
  userId: number;
  name: string;
  role: BoardMemberRole;
}

export interface LabelView {
  id: number;
  boardId: number;
  name: string;
  color: (typeof LABEL_COLORS)[number];
}

export interface CommentView {
  id: number;
  taskId: number;
  author: { id: number; name: string } | null;
  body: string;
  createdAt: string;
}

export interface ChecklistItemView {
  id: number;
  taskId: number;
  text: string;
  done: boolean;
}

export type ActivityKind = 'created' | 'moved' | 'edited' | 'assigned' | 'commented' | 'booking';

/** A line of a card's log: who did what, when; `detail` names the column, the fields, the assignee or the booking's step. */
export interface ActivityView {
  kind: ActivityKind;
  actor: { id: number; name: string } | null;
  detail: Record<string, unknown>;
  at: string;
}

export interface ColumnView {
  id: number;
  boardId: number;
  name: string;
  position: number;
  wipLimit: number | null;
  bookingState: BookingState | null;
}

/** A board in the switcher: whose it is, whether archived, and the caller's role on it. */
export interface BoardSummary {
  id: number;
  name: string;
  project: { id: number; name: string };
  organization: { id: number; name: string } | null;
  providerId: number | null;
  archived: boolean;
  role: BoardRole;
}

export interface BoardView {
  id: number;
  name: string;
  project: { id: number; name: string };
  providerId: number | null;
  organization: { id: number; name: string } | null;
  archived: boolean;
  /** The caller's role: a technician's board holds only the cards assigned to them. */
  role: BoardRole;
  labels: LabelView[];
  columns: Array<ColumnView & { count: number; tasks: TaskView[] }>;
}
