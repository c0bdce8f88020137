import type { RescheduleStep, Party } from '../../domain/bookings/reschedule.ts';
import { whenLabel, type BookingFactsForMessages, type Message } from './messages.ts';

/** A proposal as its messages tell it: the time the booking had, the one proposed, and who asked. */
export interface ProposalForMessages {
  from: Date;
  to: Date;
  proposedBy: Party;
  respondBy: Date;
}

/** Who hears of a reschedule step, and what they are told, each in their own zone, named. */
export function rescheduleMessagesFor(step: RescheduleStep, b: BookingFactsForMessages, p: ProposalForMessages): Message[] {
  const link = `/bookings/${b.id}`;
  const people = { customer: b.customer, provider: b.provider };
  const proposer = people[p.proposedBy];
  const answerer = people[p.proposedBy === 'customer' ? 'provider' : 'customer'];
  const to = (person: typeof proposer, title: string, body: (when: (at: Date) => string) => string, email = true): Message => ({
    userId: person.id,
    email: email ? person.email : null,
    title,
    body: body((at) => whenLabel(at, person.timezone)),
    link,
  });
  const reason = b.note ? ` Reason: ${b.note}` : '';
  switch (step) {
    case 'reschedule_proposed':
      return [
        to(answerer, `New time proposed: ${b.serviceTitle}`, (when) =>
          `${proposer.name} asks to move ${b.serviceTitle} from ${when(p.from)} to ${when(p.to)}. Please answer by ${when(p.respondBy)}; until then the booking stays as it is.`),
        to(proposer, `New time proposed: ${b.serviceTitle}`, (when) => `You asked ${answerer.name} to move ${b.serviceTitle} to ${when(p.to)}.`, false),
      ];
    case 'reschedule_accepted':
      return [proposer, answerer].map((person) =>
        to(person, `Booking moved: ${b.serviceTitle}`, (when) => `${b.serviceTitle} is now on ${when(p.to)} (it was on ${when(p.from)}).`));
    case 'reschedule_declined':
      return [
        to(proposer, `New time declined: ${b.serviceTitle}`, (when) =>
          `${answerer.name} declined moving ${b.serviceTitle} to ${when(p.to)}. The booking stays on ${when(p.from)}.${reason}`),
      ];
    case 'reschedule_expired':
      return [
        to(proposer, `New time not answered: ${b.serviceTitle}`, (when) =>
          `${answerer.name} did not answer in time, so ${b.serviceTitle} stays on ${when(p.from)}, not ${when(p.to)}.`),
        to(answerer, `New time lapsed: ${b.serviceTitle}`, (when) => `The proposal to move ${b.serviceTitle} to ${when(p.to)} lapsed unanswered.`, false),
      ];
  }
}
