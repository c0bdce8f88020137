/**
 * The RPCs behind the UI port. Its Workers tab needs DescribeTaskQueue, which gRPC then answers
 * too (with the pollers the wrapped poll handlers note), and its search-attributes page needs
 * OperatorService's ListSearchAttributes, answered from the engine's search attribute types.
 */
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';
import { SYSTEM_SEARCH_ATTRIBUTES } from '../engine/search-attributes.ts';
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
      async ListSearchAttributes() {
        const custom = Object.entries(engine.searchAttributeTypes).filter(([name]) => !(name in SYSTEM_SEARCH_ATTRIBUTES));
        return { systemAttributes: SYSTEM_SEARCH_ATTRIBUTES, customAttributes: Object.fromEntries(custom) };
      },
    },
  };
}
