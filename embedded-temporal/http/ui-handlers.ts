/**
 * The RPCs behind the UI port. Its Workers tab needs DescribeTaskQueue, which gRPC then answers
 * too (with the pollers the wrapped poll handlers note), and its search-attributes page needs
 * OperatorService's ListSearchAttributes, answered from GetSearchAttributes.
 */
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';
import type { Msg } from '../proto.ts';
import { describeTaskQueue, PollerRegistry } from './task-queue.ts';

export function uiHandlers(engine: Engine, workflowHandlers: Handlers): { grpc: Handlers; http: Handlers } {
  const pollers = new PollerRegistry();
  const grpc: Handlers = {
    ...pollers.recording(workflowHandlers),
    DescribeTaskQueue: async (req) => describeTaskQueue(engine, pollers, req),
  };
  return {
    grpc,
    http: {
      ...grpc,
      async ListSearchAttributes(req, ctx) {
        const { keys } = (await workflowHandlers.GetSearchAttributes(req, ctx)) as Msg;
        return { systemAttributes: keys, customAttributes: {} };
      },
    },
  };
}
