/** Task tokens: opaque to workers, they name the run and the exact task (or attempt) they answer. */
import { invalidArgument } from '../grpc/errors.ts';

export type TaskToken =
  | { k: 'w'; ns: string; w: string; r: string; n: number }
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
