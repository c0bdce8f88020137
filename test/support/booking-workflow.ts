import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor } from '../../domain/bookings/lifecycle.ts';
import type { BookingWorkflowInput } from '../../workflows/booking/definitions.ts';
import type { bookingWorkflow } from '../../workflows/booking/workflow.ts';

export const customer: Actor = { role: 'customer', userId: '11' };
export const provider: Actor = { role: 'provider', userId: '22' };
export const HOUR = 3_600_000;

let counter = 0;

/**
 * Starts a booking actor on `taskQueue` for the workflow tests: a fresh hold of a slot 72 hours
 * ahead, ten minutes to confirm, a day to answer, unless `input` says otherwise.
 */
export async function startBookingWorkflow(env: TestWorkflowEnvironment, taskQueue: string, input: Partial<BookingWorkflowInput> = {}) {
  counter += 1;
  // The test server's clock runs ahead of the wall clock once a test has skipped time.
  const now = await env.currentTimeMs();
  return env.client.workflow.start<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: `${taskQueue}-${counter}-${now}`,
    taskQueue,
    args: [
      {
        bookingId: String(counter),
        customerId: customer.userId!,
        providerId: provider.userId!,
        startsAt: new Date(now + 72 * HOUR).toISOString(),
        endsAt: new Date(now + 73 * HOUR).toISOString(),
        holdExpiresAt: new Date(now + 10 * 60_000).toISOString(),
        responseSlaMinutes: 24 * 60,
        ...input,
      },
    ],
  });
}
