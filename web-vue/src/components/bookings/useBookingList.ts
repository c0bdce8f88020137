import { onUnmounted, ref } from 'vue';
import { bookingsApi, type Booking, type BookingPage, type BookingState } from '../../api/bookings';
import { useLoad } from '../../composables/useLoad';
import { useBookingsStore } from '../../stores/bookings.store';

export interface BookingListQuery {
  as: 'customer' | 'provider';
  state?: BookingState[];
  page: number;
  pageSize: number;
}

/**
 * A page of the signed-in person's bookings that stays current: any change to one of their
 * bookings (announced on `user:<id>`) reloads it, since a change can also move a booking in or
 * out of the page's filter.
 */
export function useBookingList(query: () => BookingListQuery) {
  const result = ref<BookingPage | null>(null);
  const load = useLoad(query, async () => {
    result.value = await bookingsApi.mine(query());
  });
  // A background refresh keeps the list on screen if it fails; the live-status dot tells of the outage.
  const refresh = () => bookingsApi.mine(query()).then((page) => (result.value = page), () => undefined);
  const stop = useBookingsStore().followMine(() => void refresh());
  onUnmounted(stop);

  /** Shows a booking as an action here returned it, without waiting for the reload. */
  function replace(booking: Booking): void {
    if (!result.value) return;
    result.value = { ...result.value, items: result.value.items.map((b) => (b.id === booking.id ? booking : b)) };
  }

  return { result, load, replace };
}
