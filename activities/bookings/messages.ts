import type { BookingAction } from '../../domain/bookings/lifecycle.ts';

/** Who hears of a transition, and what they are told. Pure: the activity does the writing. */
export interface BookingFactsForMessages {
  id: number;
  serviceTitle: string;
  customer: { id: number; name: string; email: string };
  provider: { id: number; name: string; email: string; timezone: string };
  startsAt: Date;
  note?: string;
  late?: boolean;
  /** The service accepts bookings at once: nobody was asked, so the confirmation says nothing and the acceptance tells both. */
  acceptedAtOnce?: boolean;
}

export interface Message {
  userId: number;
  email: string | null;
  title: string;
  body: string;
  link: string;
}

export function whenLabel(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'short', hour12: false }).format(at) + ` (${timezone})`;
}

export function messagesFor(action: BookingAction | 'reminder', b: BookingFactsForMessages): Message[] {
  const when = whenLabel(b.startsAt, b.provider.timezone);
  const link = `/bookings/${b.id}`;
  const toCustomer = (title: string, body: string, email = true): Message => ({ userId: b.customer.id, email: email ? b.customer.email : null, title, body, link });
  const toProvider = (title: string, body: string, email = true): Message => ({ userId: b.provider.id, email: email ? b.provider.email : null, title, body, link });
  const reason = b.note ? ` Reason: ${b.note}` : '';
  switch (action) {
    case 'confirm':
      if (b.acceptedAtOnce) return [];
      return [
        toProvider(`New booking request: ${b.serviceTitle}`, `${b.customer.name} asks for ${b.serviceTitle} on ${when}.${b.note ? ` Notes: ${b.note}` : ''}`),
        toCustomer(`Request sent: ${b.serviceTitle}`, `${b.provider.name} has been asked to accept your booking on ${when}.`, false),
      ];
    case 'accept':
      if (b.acceptedAtOnce) {
        return [
          toCustomer(`Booked: ${b.serviceTitle}`, `Your booking with ${b.provider.name} on ${when} is confirmed.`),
          toProvider(`New booking: ${b.serviceTitle}`, `${b.customer.name} booked ${b.serviceTitle} on ${when}. It was accepted at once, as your service says.${b.note ? ` Notes: ${b.note}` : ''}`),
        ];
      }
      return [toCustomer(`Booking accepted: ${b.serviceTitle}`, `${b.provider.name} accepted your booking on ${when}.`)];
    case 'decline':
      return [toCustomer(`Booking declined: ${b.serviceTitle}`, `${b.provider.name} declined your booking on ${when}.${reason}`)];
    case 'auto_decline':
      return [
        toCustomer(`Booking declined: ${b.serviceTitle}`, `${b.provider.name} did not answer in time, so your request for ${when} was declined. The slot is free to book again.`),
        toProvider(`Request expired: ${b.serviceTitle}`, `The request from ${b.customer.name} for ${when} went unanswered and was declined.`, false),
      ];
    case 'cancel':
      return [
        toCustomer(`Booking canceled: ${b.serviceTitle}`, `The booking on ${when} was canceled.${b.late ? ' This was a late cancellation.' : ''}${reason}`),
        toProvider(`Booking canceled: ${b.serviceTitle}`, `The booking with ${b.customer.name} on ${when} was canceled.${reason}`),
      ];
    case 'expire':
      return [toCustomer(`Hold expired: ${b.serviceTitle}`, `Your hold on ${when} was not confirmed in time and has been released.`, false)];
    case 'start':
      return [toCustomer(`Work started: ${b.serviceTitle}`, `${b.provider.name} started the work booked for ${when}.`, false)];
    case 'complete':
      return [toCustomer(`Completed: ${b.serviceTitle}`, `${b.provider.name} marked your booking as completed. You can rate it now.`)];
    case 'reminder':
      return [
        toCustomer(`Tomorrow: ${b.serviceTitle}`, `A reminder: ${b.serviceTitle} with ${b.provider.name} on ${when}.`),
        toProvider(`Tomorrow: ${b.serviceTitle}`, `A reminder: ${b.serviceTitle} for ${b.customer.name} on ${when}.`),
      ];
  }
}
