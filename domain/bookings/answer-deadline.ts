/**
 * When a provider must answer a booking request: within their answer time (SLA), and never later
 * than some time before the appointment, so the customer knows in time whether it happens.
 */
const MINUTE_MS = 60_000;

/** The customer is told at least this long before the start whether the provider comes. */
export const ANSWER_LEAD_MINUTES = 60;
/** Less time than this to answer is no real chance to: such a request is not taken. */
export const MIN_ANSWER_MINUTES = 15;

/** `min(now + SLA, start − lead time)`. */
export function answerDeadline(input: { now: Date; startsAt: Date; responseSlaMinutes: number }): Date {
  return new Date(Math.min(input.now.getTime() + input.responseSlaMinutes * MINUTE_MS, input.startsAt.getTime() - ANSWER_LEAD_MINUTES * MINUTE_MS));
}

/**
 * Whether a request for `startsAt` made now leaves the provider time to answer. A service that
 * accepts bookings at once needs no answer, so any open slot will do.
 */
export function answerableInTime(input: { now: Date; startsAt: Date; responseSlaMinutes: number; autoAccept: boolean }): boolean {
  const needed = Math.min(MIN_ANSWER_MINUTES, input.responseSlaMinutes) * MINUTE_MS;
  return input.autoAccept || answerDeadline(input).getTime() - input.now.getTime() >= needed;
}

/**
 * How soon ahead a slot may start for customers to be offered it: the service's own notice, and
 * for requests at least the answer's lead time and a few minutes to answer in.
 */
export function offeredNoticeMinutes(service: { minNoticeMinutes: number; autoAccept: boolean }): number {
  return service.autoAccept ? service.minNoticeMinutes : Math.max(service.minNoticeMinutes, ANSWER_LEAD_MINUTES + MIN_ANSWER_MINUTES);
}
