/**
 * A workflow's cronSchedule start option: each run starts at the cron string's next time (UTC
 * unless it says CRON_TZ=), the first one too, and when a run completes, fails or times out the
 * next one is started then. Cron strings read as a schedule's do.
 */
import { CompiledSpec, canonicalSpec } from '../schedules/spec.ts';

/** How long from `now` until the cron string's next time; throws INVALID_ARGUMENT on a bad string. */
export function cronBackoffMs(cronSchedule: string, now: number): number {
  const next = new CompiledSpec(canonicalSpec({ cronString: [cronSchedule] })).next(now, '');
  return next ? next.nominal - now : 0;
}
