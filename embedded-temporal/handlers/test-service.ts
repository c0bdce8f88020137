/** temporal.api.testservice.v1.TestService, served in time-skipping mode. */
import type { Handlers } from '../grpc/service.ts';
import { fromTimestamp, ms, timestamp } from '../proto.ts';
import type { Engine } from '../engine/engine.ts';
import type { TimeSkipper } from '../engine/time-skipping.ts';

export function testServiceHandlers(engine: Engine, skipper: TimeSkipper): Handlers {
  return {
    async LockTimeSkipping() {
      skipper.lock();
      return {};
    },
    async UnlockTimeSkipping() {
      skipper.unlock();
      return {};
    },
    async Sleep(req) {
      await skipper.sleepUntil(engine.clock.now() + ms(req.duration));
      return {};
    },
    async SleepUntil(req) {
      await skipper.sleepUntil(fromTimestamp(req.timestamp) ?? 0);
      return {};
    },
    async UnlockTimeSkippingWithSleep(req) {
      skipper.unlock();
      try {
        await skipper.sleepUntil(engine.clock.now() + ms(req.duration));
      } finally {
        skipper.lock();
      }
      return {};
    },
    async GetCurrentTime() {
      return { time: timestamp(engine.clock.now()) };
    },
  };
}
