/**
 * The API's contract: the shapes its routes answer and its topics announce, in one place for the
 * web app. Types only, re-exported from where each is made: the web app imports this module with
 * `import type`, which vite strips, so no runtime code of domain/ reaches the browser bundle.
 */
export type { PreviewDay } from './availability/hours-preview.ts';
export type { PresentedSlot } from './availability/present-slot.ts';
export type { LocalInterval, Weekday, WeeklyTemplate, DateOverride } from './availability/schemas.ts';
export type { BlockView } from './availability/views.ts';
export type { BoardMemberRole, BoardRole } from './board/access.ts';
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
export type { BookingState } from './bookings/lifecycle.ts';
export type { BookingView } from './bookings/views.ts';
export type { CalendarFeedView } from './calendar/views.ts';
export type { ProviderProfileInput } from './catalog/provider-profile.ts';
export type { ServiceView } from './catalog/service-view.ts';
export type { OrgRole, UserRole } from './identity/roles.ts';
export type { PublicUser } from './identity/user.ts';
export type { WorkflowDetail, WorkflowKind, WorkflowList, WorkflowStatusFilter } from './inspector/views.ts';
export type { DayCount } from './jobs/day-count.ts';
export type { PlanLimits } from './jobs/plan-limits.ts';
export type { OutboxPage } from './mail/outbox-views.ts';
export type { Money } from './money.ts';
export type { NotificationView } from './notifications/views.ts';
export type { AlertDelivery, AlertSettingsInput, AlertSettingsView } from './stores/alert-delivery.ts';
export type { StoreAlertKind } from './stores/alert-rules.ts';
export type { StoreHealthView } from './stores/store-health.ts';
export type { BackfillView, DayFigures, FigurePoint, LowStockItem, OrderFeedItem, PeriodFigures, RangeFigures, StoreAlertView, StoreFigures, StorePlatform, StoreView } from './stores/views.ts';
