import { PROBLEM_BASE } from '../http/problem.ts';
import { BOOKING_STATES } from '../../domain/bookings/lifecycle.ts';
import { arrayOf, integerId, isoDateTime, nullable, object, type JsonSchema } from './json-schema.ts';

/**
 * Shapes the API answers with. No zod schema describes them (answers are built from rows), so
 * they are written by hand here; each one is shared by several routes.
 */
const bookingState: JsonSchema = { type: 'string', enum: [...BOOKING_STATES] };
const money = object({ amountMinor: { type: 'integer' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } });
const named = object({ id: integerId, name: { type: 'string' } });

const Problem: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 Problem Details. Clients switch on `type`; validation problems add `errors: [{ path, message }]`.',
  properties: {
    type: { type: 'string', format: 'uri', examples: [`${PROBLEM_BASE}validation`] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: arrayOf(object({ path: { type: 'string' }, message: { type: 'string' } })),
  },
  required: ['type', 'title', 'status'],
  additionalProperties: true,
};

const User = object({
  id: integerId,
  email: { type: 'string', format: 'email' },
  name: { type: 'string' },
  role: { type: 'string', enum: ['admin', 'provider', 'customer'] },
  disabled: { type: 'boolean' },
  createdAt: isoDateTime,
});

const Booking = object({
  id: integerId,
  state: bookingState,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  holdExpiresAt: isoDateTime,
  respondBy: nullable(isoDateTime),
  price: money,
  customerNotes: { type: 'string' },
  closingNote: nullable({ type: 'string' }),
  lateCancellation: { type: 'boolean' },
  lateCancellationFrom: isoDateTime,
  startOpensAt: isoDateTime,
  service: object({ id: integerId, title: { type: 'string' } }),
  provider: object({ id: integerId, name: { type: 'string' }, timezone: { type: 'string' } }),
  customer: object({ id: integerId, name: { type: 'string' }, timezone: { type: 'string', description: "The zone the customer's messages are written in" } }),
  reschedule: nullable(
    object({
      startsAt: isoDateTime,
      endsAt: isoDateTime,
      proposedBy: { type: 'string', enum: ['customer', 'provider'] },
      respondBy: { ...isoDateTime, description: 'Unanswered by then, the proposal lapses and the booking keeps its time' },
    }),
  ),
  rating: nullable(object({ score: { type: 'integer', minimum: 1, maximum: 5 }, comment: { type: 'string' } })),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

const Service = object({
  id: integerId,
  providerId: integerId,
  providerName: { type: 'string' },
  categoryId: nullable(integerId),
  title: { type: 'string' },
  description: { type: 'string' },
  durationMinutes: { type: 'integer' },
  bufferBeforeMinutes: { type: 'integer' },
  bufferAfterMinutes: { type: 'integer' },
  price: object({ kind: { type: 'string', enum: ['fixed', 'hourly'] }, amountMinor: { type: 'integer' }, currency: { type: 'string' } }),
  minNoticeMinutes: { type: 'integer' },
  maxDaysAhead: { type: 'integer' },
  autoAccept: { type: 'boolean', description: 'A confirmed booking is accepted at once instead of waiting for the provider.' },
  position: { type: 'integer', description: "Place in the provider's own order, lowest first." },
  active: { type: 'boolean' },
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

const Task = object({
  id: integerId,
  boardId: integerId,
  columnId: integerId,
  title: { type: 'string' },
  description: { type: 'string' },
  priority: { type: 'string' },
  dueAt: nullable(isoDateTime),
  labels: arrayOf({ type: 'string' }),
  position: { type: 'number' },
  version: { type: 'integer', description: 'Send it back with every change; a stale one answers 409 `stale-version` with the card as it is.' },
  assignee: nullable(named),
  booking: nullable(
    object({ id: integerId, state: bookingState, customerName: { type: 'string' }, serviceTitle: { type: 'string' }, startsAt: isoDateTime, link: { type: 'string' } }),
  ),
  checklist: object({ done: { type: 'integer' }, total: { type: 'integer' } }),
  commentCount: { type: 'integer' },
  updatedAt: isoDateTime,
});

const columnFields = {
  id: integerId,
  boardId: integerId,
  name: { type: 'string' },
  position: { type: 'number' },
  wipLimit: nullable({ type: 'integer' }),
  bookingState: nullable(bookingState),
};
const Column = object(columnFields);

/** What the board switcher lists of a board; the whole board adds its labels, columns and cards. */
export const boardSummaryFields = {
  id: integerId,
  name: { type: 'string' },
  project: named,
  providerId: nullable(integerId),
  organization: nullable(named),
  archived: { type: 'boolean' },
  role: { type: 'string', enum: ['owner', 'editor', 'viewer', 'technician'], description: "The caller's role; a technician's board holds only the cards assigned to them." },
};

const Board = object({
  ...boardSummaryFields,
  labels: arrayOf(object({ id: integerId, boardId: integerId, name: { type: 'string' }, color: { type: 'string' } })),
  columns: arrayOf(object({ ...columnFields, count: { type: 'integer' }, tasks: arrayOf({ $ref: '#/components/schemas/Task' }) })),
});

const Job: JsonSchema = {
  type: 'object',
  description: 'The job definition (see the create body) with its bookkeeping.',
  properties: {
    id: integerId,
    key: { type: 'string' },
    name: { type: 'string' },
    scheduleDescription: { type: 'string', description: 'The schedule in plain English, in the job’s timezone', examples: ['At 09:00, Monday through Friday, Europe/Berlin'] },
    enabled: { type: 'boolean' },
    consecutiveFailures: { type: 'integer' },
    disabledReason: nullable({ type: 'string' }),
    revision: { type: 'integer' },
    lastFireAt: nullable(isoDateTime),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: ['id', 'key', 'name', 'enabled', 'revision'],
  additionalProperties: true,
};

const Execution: JsonSchema = {
  type: 'object',
  properties: {
    id: integerId,
    jobId: integerId,
    runId: { type: 'string' },
    attempt: { type: 'integer' },
    trigger: { type: 'string', enum: ['schedule', 'manual', 'catch_up', 'replay'] },
    status: { type: 'string' },
    /** The execution this one replays. */
    replayOf: nullable(integerId),
    scheduledFor: isoDateTime,
    startedAt: nullable(isoDateTime),
    finishedAt: nullable(isoDateTime),
    durationMs: nullable({ type: 'integer' }),
  },
  required: ['id', 'jobId', 'runId', 'attempt', 'status', 'scheduledFor'],
  additionalProperties: true,
};

const Store = object({
  id: integerId,
  organizationId: integerId,
  platform: { type: 'string', enum: ['shopify', 'woocommerce'] },
  name: { type: 'string' },
  domain: { type: 'string' },
  apiBaseUrl: { type: 'string' },
  timezone: { type: 'string' },
  currency: { type: 'string' },
  highValueThresholdMinor: nullable({ type: 'integer' }),
  lowStockThreshold: nullable({ type: 'integer' }),
  revenueDropPercent: nullable({ type: 'number' }),
  connection: { type: 'string', enum: ['shopify_app', 'pasted'] },
  uninstalledAt: nullable(isoDateTime),
  health: { type: 'object' },
  createdAt: isoDateTime,
});

export const schemas: Record<string, JsonSchema> = { Problem, User, Booking, Service, Task, Column, Board, Job, Execution, Store };

export const securitySchemes: Record<string, JsonSchema> = {
  session: { type: 'apiKey', in: 'cookie', name: 'pb_session', description: 'Browser session from `POST /api/v1/auth/sign_in`.' },
  csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Any POST, PUT, PATCH or DELETE that carries the session cookie (public routes included) echoes the `pb_csrf` cookie here, else 403 `csrf`.' },
  bearerApiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'pk_live_…', description: 'An organization API key; acts for the organization on its own routes. Only in this header: `?api_key=` is refused with 400.' },
  bearerJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A 15-minute access token from `POST /api/v1/auth/token/sign_in` or `/refresh`.' },
};
