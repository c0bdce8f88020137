import { expect } from 'chai';
import { describe, it } from 'mocha';
import { decode, encode, encodeWithHistory, HISTORY_EVENT, timestamp } from '../../../embedded-temporal/proto.ts';
import { attributesKey, encodeEvent } from '../../../embedded-temporal/engine/execution.ts';

const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"Hello!"') };
const events: [string, Record<string, unknown>, Record<string, unknown>?][] = [
  ['WORKFLOW_TASK_SCHEDULED', { taskQueue: { name: 'q', kind: 'TASK_QUEUE_KIND_NORMAL' }, startToCloseTimeout: { seconds: 10, nanos: 0 }, attempt: 1 }],
  ['EVENT_TYPE_WORKFLOW_TASK_STARTED', { scheduledEventId: 2, identity: 'worker@host', requestId: 'r-1', historySizeBytes: 400 }],
  ['TIMER_FIRED', {}],
  ['ACTIVITY_TASK_SCHEDULED', { activityId: '1', activityType: { name: 'echo' }, input: { payloads: [payload] } }, { summary: payload }],
  ['WORKFLOW_EXECUTION_COMPLETED', { result: { payloads: [payload] }, workflowTaskCompletedEventId: 10 }],
];

/** History events are written field by field (engine/execution.ts): what a worker decodes must not change. */
describe('embedded-temporal: history event encoding', () => {
  it('writes every event byte for byte as protobufjs encodes the whole HistoryEvent', () => {
    for (const [eventType, attrs, userMetadata] of events) {
      for (const timeMs of [0, 1, 999, 1_733_550_000_000, 1_733_550_000_123]) {
        for (const eventId of [0, 1, 300, 2 ** 40]) {
          const full = eventType.startsWith('EVENT_TYPE_') ? eventType : `EVENT_TYPE_${eventType}`;
          const generic = encode(HISTORY_EVENT, { eventId, eventTime: timestamp(timeMs), eventType: full, taskId: eventId * 7, userMetadata, [attributesKey(full)]: attrs });
          expect(encodeEvent(eventId, eventType, attrs, timeMs, eventId * 7, userMetadata).equals(generic), `${eventType} at ${timeMs}, id ${eventId}`).to.equal(true);
        }
      }
    }
  });

  it('splices encoded events into a history answer that decodes to the same events', () => {
    const encoded = events.map(([eventType, attrs], i) => encodeEvent(i + 1, eventType, attrs, 1_733_550_000_123, 100 + i));
    // Long enough for multi-byte lengths, too.
    encoded.push(encodeEvent(6, 'WORKFLOW_EXECUTION_SIGNALED', { signalName: 's', input: { payloads: [{ data: Buffer.alloc(20_000, 1) }] } }, 1_733_550_000_124, 106));
    const answer = decode('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse', encodeWithHistory('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse', { nextPageToken: Buffer.from('next') }, 1, encoded));
    expect(answer.nextPageToken.toString()).to.equal('next');
    expect(answer.history.events.map((e: { eventId: number; eventType: string }) => [e.eventId, e.eventType])).to.deep.equal([
      [1, 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED'],
      [2, 'EVENT_TYPE_WORKFLOW_TASK_STARTED'],
      [3, 'EVENT_TYPE_TIMER_FIRED'],
      [4, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'],
      [5, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED'],
      [6, 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'],
    ]);
    expect(answer.history.events[5].workflowExecutionSignaledEventAttributes.input.payloads[0].data.length).to.equal(20_000);
  });
});
