/**
 * The commands of a completed workflow task, applied in order. Protocol messages (updates) are
 * applied where a PROTOCOL_MESSAGE command places them; the rest after all commands.
 */
import { invalidArgument } from '../grpc/errors.ts';
import { ms, type Msg } from '../proto.ts';
import { cancelActivity, scheduleActivity } from './activities.ts';
import { initiateChild } from './children.ts';
import type { Engine } from './engine.ts';
import { requestCancelNexusOperation, scheduleNexusOperation } from './nexus.ts';
import type { Mutation } from './mutation.ts';
import { searchAttributesProblem, withTypes } from './search-attributes.ts';
import { payloadsSize } from './dynamic-config.ts';
import { applyUpdateMessage } from './updates.ts';
import { cancelRun, completeRun, continueAsNew, failRun } from './workflow-lifecycle.ts';

const CLOSE_COMMANDS = new Set([
  'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION',
]);

export const isCloseCommand = (c: Msg) => CLOSE_COMMANDS.has(c.commandType);

/** 'COMMAND_TYPE_START_TIMER' -> 'startTimerCommandAttributes' */
function attributesOf(command: Msg): Msg {
  const words = String(command.commandType).replace(/^COMMAND_TYPE_/, '').toLowerCase().split('_');
  const key = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('') + 'CommandAttributes';
  return command[key] ?? {};
}

/** Where a command carries its payloads, and how the real server names it when they are too large. */
const PAYLOAD_FIELDS: Record<string, { field: string; cause: string; message: string }> = {
  COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: { field: 'input', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES', message: 'ScheduleActivityTaskCommandAttributes.Input exceeds size limit.' },
  COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION: { field: 'result', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES', message: 'CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.' },
  COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION: { field: 'input', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES', message: 'ContinueAsNewWorkflowExecutionCommandAttributes.Input exceeds size limit.' },
  COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION: { field: 'input', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES', message: 'StartChildWorkflowExecutionCommandAttributes.Input exceeds size limit.' },
  COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: { field: 'input', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_INPUT_SIZE', message: 'SignalExternalWorkflowExecutionCommandAttributes.Input exceeds size limit.' },
};

/** The first command whose payloads pass the blob size limit, if any. */
export function oversizedPayload(commands: Msg[], limit: number): { cause: string; message: string } | undefined {
  for (const command of commands) {
    const spec = PAYLOAD_FIELDS[command.commandType];
    if (spec && payloadsSize(attributesOf(command)[spec.field]) > limit) return spec;
    if (command.commandType === 'COMMAND_TYPE_RECORD_MARKER') {
      const details = Object.values<Msg>(attributesOf(command).details ?? {});
      if (details.reduce((sum, p) => sum + payloadsSize(p), 0) > limit) {
        return { cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES', message: 'RecordMarkerCommandAttributes.Details exceeds size limit.' };
      }
    }
  }
  return undefined;
}

/** Commands that carry search attributes to set (for a child, in its own namespace). */
const SEARCH_ATTRIBUTE_COMMANDS = new Set([
  'COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  'COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION',
]);

/** Why a command's search attributes are refused (unregistered, or of the wrong type), if one's are. */
export function badSearchAttributes(commands: Msg[], engine: Engine, namespace: string): string | undefined {
  for (const command of commands) {
    if (!SEARCH_ATTRIBUTE_COMMANDS.has(command.commandType)) continue;
    const a = attributesOf(command);
    const problem = searchAttributesProblem(a.searchAttributes, engine.searchAttributes.types(a.namespace || namespace));
    if (problem) return problem;
  }
  return undefined;
}

/** `worker`: identity of the completing worker, which may take activities eagerly. */
export function applyCommands(m: Mutation, commands: Msg[], messages: Msg[], completedId: number, worker?: string): { needsWorkflowTask: boolean } {
  const pending = new Map(messages.map((msg) => [msg.id as string, msg]));
  let needsWorkflowTask = false;
  for (const command of commands) {
    if (!m.exec.isOpen) break; // nothing after a close command counts
    const a = attributesOf(command);
    switch (command.commandType) {
      case 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK':
        scheduleActivity(m, a, completedId, worker, command.userMetadata);
        break;
      case 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK':
        needsWorkflowTask = cancelActivity(m, a.scheduledEventId, completedId) || needsWorkflowTask;
        break;
      case 'COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION':
        scheduleNexusOperation(m, a, completedId, command.userMetadata);
        break;
      case 'COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION':
        needsWorkflowTask = requestCancelNexusOperation(m, a.scheduledEventId, completedId) || needsWorkflowTask;
        break;
      case 'COMMAND_TYPE_START_TIMER': {
        const attrs = { timerId: a.timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: completedId };
        const id = m.append('TIMER_STARTED', attrs, m.now, command.userMetadata);
        m.state.timers[a.timerId] = { timerId: a.timerId, startedEventId: id, fireAt: m.now + ms(a.startToFireTimeout) };
        break;
      }
      case 'COMMAND_TYPE_CANCEL_TIMER': {
        const timer = m.state.timers[a.timerId];
        if (!timer) break;
        delete m.state.timers[a.timerId];
        m.append('TIMER_CANCELED', { timerId: a.timerId, startedEventId: timer.startedEventId, workflowTaskCompletedEventId: completedId });
        break;
      }
      case 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION':
        completeRun(m, a, completedId);
        break;
      case 'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION':
        failRun(m, a, completedId);
        break;
      case 'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION':
        cancelRun(m, a, completedId);
        break;
      case 'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION':
        continueAsNew(m, a, completedId);
        break;
      case 'COMMAND_TYPE_RECORD_MARKER':
        m.append('MARKER_RECORDED', { markerName: a.markerName, details: a.details, header: a.header, failure: a.failure, workflowTaskCompletedEventId: completedId });
        break;
      case 'COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const searchAttributes = withTypes(a.searchAttributes, m.engine.searchAttributes.types(m.state.namespace));
        m.append('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', { workflowTaskCompletedEventId: completedId, searchAttributes });
        m.state.searchAttributes = mergeFields(m.state.searchAttributes, searchAttributes, 'indexedFields');
        break;
      }
      case 'COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES':
        m.append('WORKFLOW_PROPERTIES_MODIFIED', { workflowTaskCompletedEventId: completedId, upsertedMemo: a.upsertedMemo });
        m.state.memo = mergeFields(m.state.memo, a.upsertedMemo, 'fields');
        break;
      case 'COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION':
        initiateChild(m, a, completedId, command.userMetadata);
        break;
      case 'COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION': {
        const id = m.append('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', {
          workflowTaskCompletedEventId: completedId,
          namespace: a.namespace || m.state.namespace,
          workflowExecution: a.execution,
          signalName: a.signalName,
          input: a.input,
          control: a.control,
          childWorkflowOnly: a.childWorkflowOnly,
          header: a.header,
        });
        m.transfer({
          kind: 'signalExternal',
          initiatedEventId: id,
          namespace: a.namespace || m.state.namespace,
          workflowId: a.execution?.workflowId ?? '',
          runId: a.execution?.runId || undefined,
          signalName: a.signalName,
          input: a.input,
          header: a.header,
          childOnly: !!a.childWorkflowOnly,
        });
        break;
      }
      case 'COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION': {
        const execution = { workflowId: a.workflowId, runId: a.runId };
        const id = m.append('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', {
          workflowTaskCompletedEventId: completedId,
          namespace: a.namespace || m.state.namespace,
          workflowExecution: execution,
          control: a.control,
          childWorkflowOnly: a.childWorkflowOnly,
          reason: a.reason,
        });
        m.transfer({
          kind: 'cancelExternal',
          initiatedEventId: id,
          namespace: a.namespace || m.state.namespace,
          workflowId: a.workflowId,
          runId: a.runId || undefined,
          childOnly: !!a.childWorkflowOnly,
          reason: a.reason,
        });
        break;
      }
      case 'COMMAND_TYPE_PROTOCOL_MESSAGE': {
        const message = pending.get(a.messageId);
        if (!message) throw invalidArgument(`protocol message ${a.messageId} not found`);
        pending.delete(a.messageId);
        applyUpdateMessage(m, message);
        break;
      }
      default:
        throw invalidArgument(`unsupported command type ${command.commandType}`);
    }
  }
  for (const message of pending.values()) if (m.exec.isOpen) applyUpdateMessage(m, message);
  return { needsWorkflowTask };
}

/** Upserts map entries (memo fields, search attributes); an empty payload removes the key. */
export function mergeFields(current: Msg | undefined, upsert: Msg | undefined, key: string): Msg {
  const fields = { ...(current?.[key] ?? {}) };
  for (const [name, payload] of Object.entries<Msg>(upsert?.[key] ?? {})) {
    if (!payload?.data?.length || payload.data.toString() === 'null') delete fields[name];
    else fields[name] = payload;
  }
  return { [key]: fields };
}
