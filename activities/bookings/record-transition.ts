import type { Knex } from 'knex';
import type { Db } from '../../db/connection.ts';
import { writeTransition } from '../../db/repositories/bookings.ts';
import { insertNotifications, type NewNotification } from '../../db/repositories/notifications.ts';
import { notificationEvents, notifyPeople, personTopics } from '../../db/realtime/notification-events.ts';
import { placeBookingTask } from '../../db/repositories/board-tasks.ts';
import { columnStateFor } from '../../domain/bookings/board-columns.ts';
import type { BookingState } from '../../domain/bookings/lifecycle.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { publishTopics, type TopicEvents } from '../../db/realtime/publish.ts';
import { cardEventTopics } from '../../db/realtime/card-event.ts';
import { messagesFor, whenLabel, type BookingFactsForMessages, type Message } from './messages.ts';
import type { AnswerLinks } from './respond-links.ts';
import type { BookingActivities, RecordTransitionInput } from './types.ts';
import { createRescheduleActivity } from './reschedule.ts';

export interface BookingActivityDeps {
  db: Db;
  mailer: Mailer;
  /** Absolute URL of the web app, for links in emails. */
  publicUrl: string;
  /** Signed, single-use accept and decline links for emails that ask for an answer. */
  answerLinks: AnswerLinks;
}

export async function loadFacts(db: Db | Knex.Transaction, bookingId: number): Promise<BookingFactsForMessages & { providerId: number; respondBy: Date | null; customerNotes: string }> {
  const row = await db('bookings as b')
    .join('services as s', 's.id', 'b.service_id')
    .join('users as c', 'c.id', 'b.customer_id')
    .join('users as p', 'p.id', 'b.provider_id')
    .join('provider_profiles as pp', 'pp.user_id', 'b.provider_id')
    .where('b.id', bookingId)
    .first(
      'b.id', 'b.starts_at', 'b.respond_by', 'b.customer_notes', 'b.provider_id', 's.title',
      'c.id as customer_id', 'c.name as customer_name', 'c.email as customer_email', 'b.customer_timezone',
      'p.name as provider_name', 'p.email as provider_email', 'pp.timezone',
    );
  if (!row) throw new Error(`booking ${bookingId} does not exist`);
  return {
    id: row.id,
    providerId: row.provider_id,
    serviceTitle: row.title,
    customer: { id: row.customer_id, name: row.customer_name, email: row.customer_email, timezone: row.customer_timezone ?? row.timezone },
    provider: { id: row.provider_id, name: row.provider_name, email: row.provider_email, timezone: row.timezone },
    startsAt: row.starts_at,
    respondBy: row.respond_by,
    customerNotes: row.customer_notes,
  };
}

const messageKey = (bookingId: number, step: string | number, userId: number) => `booking:${bookingId}:${step}:${userId}`;

/** Writes the transition with everything that follows from it in one transaction; emails go after commit. */
async function recordTransition(deps: BookingActivityDeps, input: RecordTransitionInput): Promise<void> {
  const bookingId = Number(input.bookingId);
  const { facts, messages } = await deps.db.transaction(async (trx) => {
    const wrote = await writeTransition(trx, {
      bookingId,
      sequence: input.sequence,
      action: input.action,
      from: input.from,
      to: input.to,
      actorRole: input.actor.role,
      actorId: input.actor.userId === null ? null : Number(input.actor.userId),
      note: input.note,
      late: input.late,
      at: new Date(input.at),
      respondBy: input.respondBy ? new Date(input.respondBy) : undefined,
    });
    // The system accepts only where the service accepts at once; such a confirmation asks nobody (no deadline).
    const acceptedAtOnce = (input.action === 'accept' && input.actor.role === 'system') || (input.action === 'confirm' && input.respondBy === undefined);
    const loaded = await loadFacts(trx, bookingId);
    // Accepted at once, the provider hears of the booking only now: with the customer's notes, not the system's.
    const note = input.action === 'accept' && acceptedAtOnce ? loaded.customerNotes || undefined : input.note;
    const facts = { ...loaded, note, late: input.late, acceptedAtOnce };
    const messages = messagesFor(input.action, facts);
    // A retry of a committed transition only re-sends its (idempotent) emails.
    if (wrote) await announce(trx, input, facts, messages);
    return { facts, messages };
  });
  await sendEmails(deps, facts, messages, input.sequence, (message) => {
    if (input.action !== 'confirm' || message.userId !== facts.provider.id || !facts.respondBy) return undefined;
    const links = deps.answerLinks({ bookingId: facts.id, providerId: facts.providerId }, facts.respondBy);
    return `${message.body}\n\nAccept: ${links.accept}\nDecline: ${links.decline}\n\nPlease answer by ${whenLabel(facts.respondBy, facts.provider.timezone)}.`;
  });
}

export type LoadedFacts = Awaited<ReturnType<typeof loadFacts>>;

/** A booking card's text: when, in the provider's zone, and the customer's notes. */
export function bookingTaskDescription(facts: LoadedFacts): string {
  return `${whenLabel(facts.startsAt, facts.provider.timezone)}${facts.customerNotes ? `\n\n${facts.customerNotes}` : ''}`;
}

/** The board card, the parties' notifications and the live topics, for a step just written. */
export async function announce(trx: Knex.Transaction, input: { action: string; sequence: number; from: BookingState; to: BookingState; at: string }, facts: LoadedFacts, messages: Message[]): Promise<void> {
  const columnState = columnStateFor(input.to);
  // A booking's card is made when it is confirmed; later steps move it, if it has one.
  const task = columnState
    ? await placeBookingTask(
        trx,
        {
          id: facts.id,
          providerId: facts.providerId,
          providerName: facts.provider.name,
          title: `${facts.serviceTitle} · ${facts.customer.name}`,
          description: bookingTaskDescription(facts),
          dueAt: facts.startsAt,
        },
        columnState,
        { create: input.action === 'confirm' },
      )
    : null;
  const byPerson = await notificationEvents(trx, await insertNotifications(trx, inAppNotifications(`booking.${input.action}`, facts.id, input.sequence, messages)));
  const change = { bookingId: facts.id, action: input.action, from: input.from, state: input.to, at: input.at };
  // Each party's topic gets its notification and then the change.
  for (const userId of new Set([facts.customer.id, facts.provider.id])) {
    byPerson.set(userId, [...(byPerson.get(userId) ?? []), { event: 'booking.changed', data: change }]);
  }
  let card: TopicEvents[] = [];
  if (task) {
    const { assigneeId, ...moved } = task;
    card = await cardEventTopics(trx, task.boardId, assigneeId, task.created ? 'task.created' : 'task.moved', { ...moved, bookingId: facts.id, bookingState: input.to });
  }
  // Every topic in one round trip: the booking's, the parties', the card's.
  await publishTopics(trx, [{ topic: `booking:${facts.id}`, events: [{ event: 'booking.changed', data: change }] }, ...personTopics(byPerson), ...card]);
}

/** Persistent notifications, each announced to its person with their new unread count. */
export async function notifyInApp(trx: Knex.Transaction, kind: string, bookingId: number, step: string | number, messages: Message[]): Promise<void> {
  await notifyPeople(trx, inAppNotifications(kind, bookingId, step, messages));
}

const inAppNotifications = (kind: string, bookingId: number, step: string | number, messages: Message[]): NewNotification[] =>
  messages.map((m) => ({ userId: m.userId, kind, title: m.title, body: m.body, link: m.link, idempotencyKey: messageKey(bookingId, step, m.userId) }));

/** `answerText`: an email asking its reader for an answer, with its links, instead of the plain one. */
export async function sendEmails(deps: BookingActivityDeps, facts: LoadedFacts, messages: Message[], step: string | number, answerText?: (message: Message) => string | undefined): Promise<void> {
  for (const message of messages) {
    if (!message.email) continue;
    const text = answerText?.(message) ?? `${message.body}\n\n${deps.publicUrl}${message.link}`;
    await deps.mailer.send({ to: message.email, subject: message.title, text, idempotencyKey: messageKey(facts.id, step, message.userId) });
  }
}

async function sendReminder(deps: BookingActivityDeps, bookingId: number): Promise<void> {
  const facts = await loadFacts(deps.db, bookingId);
  const messages = messagesFor('reminder', facts);
  await deps.db.transaction((trx) => notifyInApp(trx, 'booking.reminder', bookingId, 'reminder', messages));
  await sendEmails(deps, facts, messages, 'reminder');
}

export function createBookingActivities(deps: BookingActivityDeps): BookingActivities {
  return {
    recordBookingTransition: (input) => recordTransition(deps, input),
    sendBookingReminder: ({ bookingId }) => sendReminder(deps, Number(bookingId)),
    recordRescheduleStep: createRescheduleActivity(deps),
  };
}
