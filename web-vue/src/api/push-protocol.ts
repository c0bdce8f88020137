/** The /ws relay's messages (docs/platform-api.md, "Realtime relay"). */

export type ClientMessage =
  | { type: 'subscribe'; topic: string; since?: number }
  | { type: 'unsubscribe'; topic: string }
  | { type: 'presence'; topic: string; editing?: string | null }
  | { type: 'ping' };

export interface Viewer {
  /** The relay sends it as a string; compare with String(id). */
  userId: string | number;
  name: string;
  editing: string | null;
}

export interface PushEvent<T = Record<string, unknown>> {
  topic: string;
  seq: number;
  event: string;
  data: T;
}

export type ServerMessage =
  | { type: 'subscribed'; topic: string; seq: number }
  | ({ type: 'event' } & PushEvent)
  | { type: 'resync'; topic: string }
  | { type: 'presence'; topic: string; viewers: Viewer[] }
  | { type: 'error'; topic?: string; code: string; message: string }
  | { type: 'pong' };
