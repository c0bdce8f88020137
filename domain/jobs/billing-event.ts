import { z } from 'zod';
import type { Plan } from './plan-limits.ts';

/** The part of a Lemon Squeezy subscription webhook we act on. */
export const billingEventSchema = z.object({
  meta: z.object({
    event_name: z.string().min(1),
    custom_data: z.object({ organization_id: z.coerce.number().int().positive() }),
  }),
  data: z.object({
    id: z.coerce.string().min(1),
    attributes: z.object({
      status: z.string().min(1),
      updated_at: z.iso.datetime({ offset: true }),
    }),
  }),
});
export type BillingEvent = z.infer<typeof billingEventSchema>;

const SUBSCRIPTION_EVENTS = new Set(['subscription_created', 'subscription_updated', 'subscription_cancelled', 'subscription_expired', 'subscription_resumed']);
/** Statuses in which the customer has paid for Pro (past_due keeps it while the card is retried). */
const PAID_STATUSES = new Set(['active', 'on_trial', 'past_due']);

/** The plan an event puts the organization on; null for events that do not concern plans. */
export function planAfter(event: BillingEvent): Plan | null {
  const name = event.meta.event_name;
  if (!SUBSCRIPTION_EVENTS.has(name)) return null;
  if (name === 'subscription_cancelled' || name === 'subscription_expired') return 'free';
  return PAID_STATUSES.has(event.data.attributes.status) ? 'pro' : 'free';
}
