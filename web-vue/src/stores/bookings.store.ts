import { defineStore } from 'pinia';
import type { BookingChange } from '../api/bookings';
import type { Id } from '../api/types';
import { useAuthStore } from './auth.store';
import { usePushStore } from './push.store';

/** Told a booking moved; null when the relay could not replay what was missed (reload everything). */
export type BookingChangeHandler = (change: BookingChange | null) => void;

/**
 * Live booking state for pages: the relay announces every transition on `booking:<id>` and on
 * the customer's and the provider's `user:<id>`. Pages reload what they show when told; the API
 * stays the one source of a booking's data.
 */
export const useBookingsStore = defineStore('bookings', () => {
  const push = usePushStore();
  const auth = useAuthStore();

  function follow(topic: string, handler: BookingChangeHandler): () => void {
    return push.subscribe(topic, {
      onEvent: (event) => {
        if (event.event === 'booking.changed') handler(event.data as unknown as BookingChange);
      },
      onResync: () => handler(null),
    });
  }

  /** Every booking of the signed-in person, as customer or provider. */
  function followMine(handler: BookingChangeHandler): () => void {
    return auth.user ? follow(`user:${auth.user.id}`, handler) : () => {};
  }

  function followBooking(id: Id, handler: BookingChangeHandler): () => void {
    return follow(`booking:${id}`, handler);
  }

  return { followMine, followBooking };
});
