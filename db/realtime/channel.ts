import { z } from 'zod';

/**
 * The NOTIFY channel every realtime event is announced on, and the shape of its payload.
 * Shared by `publish` (the writers) and the API's relay (the one listener per process).
 */
export const EVENTS_CHANNEL = 'pulseboard_events';

/**
 * NOTIFY payloads must stay under 8000 bytes. Below this size the event travels whole,
 * which spares the relay a query; above it the payload only names the stored row.
 */
export const INLINE_LIMIT = 7000;

export const eventNotificationSchema = z.object({
  topic: z.string(),
  seq: z.number().int().positive(),
  /** Publish time in epoch ms, for the relay's lag metric. */
  at: z.number().optional(),
  /** Present only when the event was small enough to travel inline. */
  event: z.string().optional(),
  data: z.unknown().optional(),
});

export type EventNotification = z.infer<typeof eventNotificationSchema>;

/** Topics name what a screen shows: `board:<id>`, `booking:<id>`, `org:<id>:jobs`, `org:<id>:team`, `store:<id>`, `user:<id>`. */
export const topicSchema = z
  .string()
  .max(200)
  .regex(/^(?:(?:board|booking|store|user):[\w-]+|org:[\w-]+:(?:jobs|team))$/, 'expected board:<id>, booking:<id>, org:<id>:jobs, org:<id>:team, store:<id> or user:<id>');
