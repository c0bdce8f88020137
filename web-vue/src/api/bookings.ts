/** The booking API: hold, the lifecycle transitions, a new time, lists, rating, and the email links. */
import { http } from './http';
import type { Id } from './types';
import type { BookingState, BookingView as Booking } from '../../../domain/contract.ts';

export type { Booking, BookingState };

export const ACTIVE_STATES: BookingState[] = ['held', 'requested', 'accepted', 'in_progress'];
export const CLOSED_STATES: BookingState[] = ['completed', 'declined', 'canceled', 'expired'];

export type BookingTransition = 'confirm' | 'accept' | 'decline' | 'start' | 'complete' | 'cancel';

export interface BookingPage {
  items: Booking[];
  total: number;
  page: number;
  pageSize: number;
}

/** The relay's `booking.changed` payload, on `booking:<id>` and on both parties' `user:<id>`. */
export interface BookingChange {
  bookingId: Id;
  action: string;
  from: BookingState;
  state: BookingState;
  at: string;
}

export interface RespondLink {
  booking: Booking;
  /** The link was used already: it shows the booking but acts no more. */
  spent: boolean;
  expiresAt: string;
  /** A provider's booking request, or a proposed new time (then the start it answers, and the side it was sent to). */
  kind: 'request' | 'reschedule';
  proposedStart?: string;
  party?: 'customer' | 'provider';
}

export const bookingsApi = {
  /** `timezone`: the zone the customer sees the times in; their messages are written in it. */
  hold: (serviceId: Id, startsAt: string, timezone: string) => http.post<Booking>('/bookings/hold', { serviceId, startsAt, timezone }),
  get: (id: Id | string) => http.get<Booking>(`/bookings/${id}`),
  mine: (query: { as: 'customer' | 'provider'; state?: BookingState[]; page: number; pageSize: number }) =>
    http.get<BookingPage>('/bookings/mine', { ...query, state: query.state?.join(',') }),
  transition: (id: Id, action: BookingTransition, note?: string) =>
    http.post<Booking>(`/bookings/${id}/${action}`, note ? { note } : {}),
  /** Proposes a new start; the booking keeps its length, and its time until the other side accepts. */
  reschedule: (id: Id, startsAt: string) => http.post<Booking>(`/bookings/${id}/reschedule`, { startsAt }),
  answerReschedule: (id: Id, answer: 'accept' | 'decline', note?: string) =>
    http.post<Booking>(`/bookings/${id}/reschedule/${answer}`, note ? { note } : {}),
  rate: (id: Id, score: number, comment: string) => http.post<Booking>(`/bookings/${id}/rating`, { score, comment }),
  readLink: (token: string) => http.get<RespondLink>(`/booking_links/${encodeURIComponent(token)}`),
  answerLink: (token: string, action: 'accept' | 'decline', note?: string) =>
    http.post<Booking>(`/booking_links/${encodeURIComponent(token)}/${action}`, note ? { note } : {}),
};
