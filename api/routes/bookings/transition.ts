import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../../domain/bookings/lifecycle.ts';
import { BOOKING_UPDATES, bookingWorkflowId, type BookingSnapshot, type BookingUpdateName } from '../../../workflows/booking/definitions.ts';
import { conflict } from '../../http/problem.ts';
import { requireTemporal } from '../../temporal.ts';

/**
 * Asks the booking's actor for a transition. The actor validates it: a refusal comes back as a
 * 409 with the actor's reason, and leaves the booking as it was.
 */
export async function requestTransition(ctx: AppContext, bookingId: number, action: BookingUpdateName, actor: Actor, note?: string): Promise<BookingSnapshot> {
  return askBookingActor(ctx, bookingId, BOOKING_UPDATES[action], { actor, note }, action);
}

/** Sends one update to the booking's actor; `action` names it in a refusal's Problem Details. */
export async function askBookingActor<A>(ctx: AppContext, bookingId: number, update: UpdateDefinition<BookingSnapshot, [A]>, arg: A, action: string): Promise<BookingSnapshot> {
  const handle = requireTemporal(ctx).client.workflow.getHandle(bookingWorkflowId(String(bookingId)));
  try {
    return await handle.executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw conflict((error.cause as Error | undefined)?.message ?? error.message, { action });
    }
    if (error instanceof WorkflowNotFoundError || isClosedError(error)) {
      throw conflict('This booking is closed: nothing more can happen to it.', { action });
    }
    throw error;
  }
}

function isClosedError(error: unknown): boolean {
  return /workflow execution already completed|not found/i.test((error as Error)?.message ?? '');
}
