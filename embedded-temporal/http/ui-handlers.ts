/**
 * The RPCs behind the UI port. Its Workers tab needs DescribeTaskQueue, which gRPC then answers
 * too (with the pollers the wrapped poll handlers note); its search-attributes page asks the
 * OperatorService, whose HTTP routes are served on the same port.
 */
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';
import { describeTaskQueue, PollerRegistry } from './task-queue.ts';

export function uiHandlers(engine: Engine, workflowHandlers: Handlers, operatorHandlers: Handlers): { grpc: Handlers; http: Handlers } {
  const pollers = new PollerRegistry();
  const grpc: Handlers = {
    ...pollers.recording(workflowHandlers),
    DescribeTaskQueue: async (req) => describeTaskQueue(engine, pollers, req),
  };
  return {
    grpc,
    http: { ...grpc, ...operatorHandlers },
  };
}
