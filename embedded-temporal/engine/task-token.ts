/** Task tokens: opaque to workers, they name the run and the exact task (or attempt) they answer. */
import { invalidArgument } from '../grpc/errors.ts';

export type TaskToken =
  /** n: the task's nonce; st: which start of it (a start lost in a crash is handed out again). */
  | { k: 'w'; ns: string; w: string; r: string; n: number; st: string }
  | { k: 'a'; ns: string; w: string; r: string; s: number; a: number }
  | { k: 'q'; ns: string; w: string; r: string; q: string };

export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token));
}

export function decodeToken<K extends TaskToken['k']>(bytes: Buffer | undefined, kind: K): Extract<TaskToken, { k: K }> {
  try {
    const token = JSON.parse(Buffer.from(bytes ?? []).toString()) as TaskToken;
    if (token.k === kind) return token as Extract<TaskToken, { k: K }>;
  } catch {
    // fall through
  }
  throw invalidArgument('Invalid TaskToken.');
}
