/** The standalone activity RPCs of temporal.api.workflowservice.v1.WorkflowService (`client.activity`). */
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';
import {
  activityListInfo,
  describeActivityExecution,
  pauseActivityExecution,
  pollActivityExecution,
  requestCancelActivityExecution,
  startActivityExecution,
  terminateActivityExecution,
  unpauseActivityExecution,
  updateActivityExecutionOptions,
} from '../engine/standalone-activities.ts';
import { countExecutions, listExecutions } from '../engine/visibility.ts';

export function standaloneActivityHandlers(engine: Engine): Handlers {
  return {
    StartActivityExecution: (req) => startActivityExecution(engine, req),
    PollActivityExecution: (req, ctx) => pollActivityExecution(engine, req, ctx),
    DescribeActivityExecution: (req) => describeActivityExecution(engine, req),
    RequestCancelActivityExecution: (req) => requestCancelActivityExecution(engine, req),
    TerminateActivityExecution: (req) => terminateActivityExecution(engine, req),
    PauseActivityExecution: (req) => pauseActivityExecution(engine, req),
    UnpauseActivityExecution: (req) => unpauseActivityExecution(engine, req),
    UpdateActivityExecutionOptions: (req) => updateActivityExecutionOptions(engine, req),
    async ListActivityExecutions(req) {
      const { executions, nextPageToken } = await listExecutions(engine, req, true);
      return { executions: executions.map(activityListInfo), nextPageToken };
    },
    CountActivityExecutions: (req) => countExecutions(engine, req, true),
  };
}
