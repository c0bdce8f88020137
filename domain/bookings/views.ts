import type { BookingState } from './lifecycle.ts';

/** A booking as the API answers it, to its customer, its provider and admins. Times are ISO 8601 UTC. */
export interface BookingView {
  id: number;
  state: BookingState;
  startsAt: string;
  endsAt: string;
  holdExpiresAt: string;
  respondBy: string | null;
  price: { amountMinor: number; currency: string };
  customerNotes: string;
  closingNote: string | null;
  lateCancellation: boolean;
  /** From here on a customer's cancel is a late cancellation (so a page can warn before, not after). */
  lateCancellationFrom: string;
  /** When the provider may start the work (a page offers "Start work" from then). */
  startOpensAt: string;
  service: { id: number; title: string };
  provider: { id: number; name: string; timezone: string };
  /** `timezone`: the zone the customer's messages are written in (the one they booked in). */
  customer: { id: number; name: string; timezone: string };
  /** A new time one side proposed, held until the other answers by `respondBy`; null when none. */
  reschedule: { startsAt: string; endsAt: string; proposedBy: 'customer' | 'provider'; respondBy: string } | null;
  rating: { score: number; comment: string } | null;
  createdAt: string;
  updatedAt: string;
}
