/** The schedule RPCs of temporal.api.workflowservice.v1.WorkflowService. */
import type { Handlers } from '../grpc/service.ts';
import { invalidArgument } from '../grpc/errors.ts';
import { fromTimestamp, timestamp } from '../proto.ts';
import { matchingSchedules } from '../engine/visibility.ts';
import { conflictToken, type Schedules } from '../schedules/schedules.ts';

const MAX_MATCHING_TIMES = 1000;

export function scheduleServiceHandlers(schedules: Schedules): Handlers {
  const now = () => schedules.engine.clock.now();
  return {
    async CreateSchedule(req) {
      const s = await schedules.create(req);
      return { conflictToken: conflictToken(s) };
    },

    async DescribeSchedule(req) {
      const s = schedules.get(req.namespace, req.scheduleId);
      return { schedule: s.schedule, info: s.describeInfo(now()), memo: s.memo, searchAttributes: s.searchAttributes, conflictToken: conflictToken(s) };
    },

    async UpdateSchedule(req) {
      await schedules.update(req);
      return {};
    },

    async PatchSchedule(req) {
      await schedules.patch(req);
      return {};
    },

    async DeleteSchedule(req) {
      await schedules.delete(req);
      return {};
    },

    async ListSchedules(req) {
      let all = schedules.list(req.namespace);
      if (req.query?.trim()) {
        const matching = await matchingSchedules(schedules.engine, req.namespace, req.query, all.map((s) => ({ scheduleId: s.scheduleId, paused: !!s.state.paused, searchAttributes: s.searchAttributes })));
        all = all.filter((s) => matching.has(s.scheduleId));
      }
      const offset = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) : 0;
      const size = req.maximumPageSize > 0 ? req.maximumPageSize : 1000;
      const page = all.slice(offset, offset + size);
      return {
        schedules: page.map((s) => ({
          scheduleId: s.scheduleId,
          memo: s.memo,
          searchAttributes: s.searchAttributes,
          info: {
            spec: s.schedule.spec,
            workflowType: s.schedule.action?.startWorkflow?.workflowType,
            notes: s.state.notes,
            paused: s.state.paused,
            recentActions: s.recentActions(),
            futureActionTimes: s.futureActions(now(), 5).map((a) => timestamp(a.actual)),
          },
        })),
        nextPageToken: offset + size < all.length ? Buffer.from(String(offset + size)) : undefined,
      };
    },

    async ListScheduleMatchingTimes(req) {
      const s = schedules.get(req.namespace, req.scheduleId);
      const from = fromTimestamp(req.startTime);
      const to = fromTimestamp(req.endTime);
      if (from === undefined || to === undefined || to < from) throw invalidArgument('StartTime and EndTime are required, EndTime not before StartTime.');
      return { startTime: s.matchingTimes(from, to).slice(0, MAX_MATCHING_TIMES).map(timestamp) };
    },
  };
}
