import { z } from 'zod';
import { topicSchema } from '../../db/realtime/channel.ts';

/** Client -> server messages, as docs/platform-api.md ("Realtime relay") defines them. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: topicSchema, since: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('unsubscribe'), topic: topicSchema }),
  z.object({ type: z.literal('presence'), topic: topicSchema, editing: z.string().max(200).nullable().optional() }),
  z.object({ type: z.literal('ping') }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export interface Viewer {
  userId: string;
  name: string;
  editing: string | null;
}

export type ErrorCode = 'bad-json' | 'invalid-message' | 'forbidden' | 'not-subscribed' | 'too-many-subscriptions' | 'rate-limited' | 'unavailable';

export type ServerMessage =
  | { type: 'subscribed'; topic: string; seq: number }
  | { type: 'event'; topic: string; seq: number; event: string; data: unknown }
  | { type: 'resync'; topic: string }
  | { type: 'presence'; topic: string; viewers: Viewer[] }
  | { type: 'error'; topic?: string; code: ErrorCode; message: string }
  | { type: 'pong' };

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; error: Extract<ServerMessage, { type: 'error' }> };

/** Reads one text frame; a bad one becomes the error message to answer with, never an exception. */
export function parseClientMessage(raw: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: { type: 'error', code: 'bad-json', message: 'The message is not valid JSON.' } };
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const topic = typeof (json as { topic?: unknown } | null)?.topic === 'string' ? (json as { topic: string }).topic : undefined;
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ');
  return { ok: false, error: { type: 'error', code: 'invalid-message', message, ...(topic ? { topic } : {}) } };
}
