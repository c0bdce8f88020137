/**
 * Task tokens, opaque to workers but in the real server's format: protobuf
 * `temporal.server.api.token.v1.Task` for workflow and activity tasks, `QueryTask` for queries,
 * with the namespace's id first. SDK tests build "not found" tokens by patching a real one, so
 * any well-formed token must decode, and name a missing task as NOT_FOUND, not as garbage.
 */
import { invalidArgument } from '../grpc/errors.ts';
import { decode, encode, root, type Msg } from '../proto.ts';

const PACKAGE = 'temporal.server.api.token.v1';
const TASK = `${PACKAGE}.Task`;
const QUERY_TASK = `${PACKAGE}.QueryTask`;

// Only the fields this server writes or reads; the numbers are the real server's. The root is
// shared with the SDK and this module may be evaluated twice (CJS and ESM), hence the check.
if (!root.lookup(TASK)) root.define(PACKAGE).addJSON({
  Task: {
    fields: {
      namespaceId: { type: 'string', id: 1 },
      workflowId: { type: 'string', id: 2 },
      runId: { type: 'string', id: 3 },
      scheduledEventId: { type: 'int64', id: 4 },
      attempt: { type: 'int32', id: 5 },
      activityId: { type: 'string', id: 6 },
      workflowType: { type: 'string', id: 7 },
      activityType: { type: 'string', id: 8 },
      startedEventId: { type: 'int64', id: 10 },
      startedTime: { type: 'google.protobuf.Timestamp', id: 12 },
    },
  },
  QueryTask: {
    fields: {
      namespaceId: { type: 'string', id: 1 },
      taskQueue: { type: 'string', id: 2 },
      taskId: { type: 'string', id: 3 },
    },
  },
});

/** A workflow or activity task: the run, and which task (scheduled event, attempt, start) of it. */
export interface TaskToken {
  namespaceId: string;
  workflowId: string;
  runId: string;
  scheduledEventId: number;
  attempt: number;
  activityId?: string;
  workflowType?: string;
  activityType?: string;
  startedEventId?: number;
  startedTime?: Msg;
}

export interface QueryToken {
  namespaceId: string;
  taskQueue: string;
  taskId: string;
}

export const encodeToken = (token: TaskToken): Buffer => encode(TASK, token);
export const encodeQueryToken = (token: QueryToken): Buffer => encode(QUERY_TASK, token);

export function decodeToken(bytes: Buffer | undefined): TaskToken {
  const token = decodeAs(TASK, bytes);
  if (!token.workflowId || !token.runId) throw undecodable();
  return { scheduledEventId: 0, attempt: 0, ...token } as TaskToken;
}

export function decodeQueryToken(bytes: Buffer | undefined): QueryToken {
  const token = decodeAs(QUERY_TASK, bytes);
  if (!token.taskId) throw undecodable();
  return token as QueryToken;
}

function decodeAs(typeName: string, bytes: Buffer | undefined): Msg {
  let token: Msg;
  try {
    token = decode(typeName, bytes ?? Buffer.alloc(0));
  } catch {
    throw undecodable();
  }
  if (!token.namespaceId) throw undecodable();
  return token;
}

const undecodable = () => invalidArgument('error deserializing task token');
