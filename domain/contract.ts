/**
 * The API's contract: the shapes its routes answer and its topics announce, in one place for the
 * web app. Types only, re-exported from where each is made: the web app imports this module with
 * `import type`, which vite strips, so no runtime code of domain/ reaches the browser bundle.
 */
export type { BoardMemberRole, BoardRole } from './board/access.ts';
export type { BookingState } from './bookings/lifecycle.ts';
export type { BookingView } from './bookings/views.ts';
export type { TaskPriority } from './board/requests.ts';
export type {
  ActivityView,
  BoardMemberView,
  BoardSummary,
  BoardView,
  ChecklistItemView,
  ColumnView,
  CommentView,
  LabelView,
  TaskView,
} from './board/views.ts';
export type { AlertDelivery, AlertSettingsInput, AlertSettingsView } from './stores/alert-delivery.ts';
export type { StoreAlertKind } from './stores/alert-rules.ts';
export type { StoreHealthView } from './stores/store-health.ts';
export type { BackfillView, DayFigures, FigurePoint, LowStockItem, OrderFeedItem, PeriodFigures, RangeFigures, StoreAlertView, StoreFigures, StorePlatform, StoreView } from './stores/views.ts';
