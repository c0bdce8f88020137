import type { Knex } from 'knex';
import type { NotificationView } from '../../domain/notifications/views.ts';
import { insertNotifications, unreadCounts, type NewNotification } from '../repositories/notifications.ts';
import { publishTopics, type TopicEvents } from './publish.ts';

export type PersonEvents = Map<number, Array<{ event: string; data: unknown }>>;

/** Each notification as its person's `notification.created` event, with their unread count (one query for all). */
export async function notificationEvents(trx: Knex.Transaction, notifications: Array<NotificationView & { userId: number }>): Promise<PersonEvents> {
  const byPerson: PersonEvents = new Map();
  if (!notifications.length) return byPerson;
  const unread = await unreadCounts(trx, [...new Set(notifications.map((n) => n.userId))]);
  for (const { userId, ...notification } of notifications) {
    byPerson.set(userId, [...(byPerson.get(userId) ?? []), { event: 'notification.created', data: { notification, unread: unread.get(userId) } }]);
  }
  return byPerson;
}

/** Each person's events on their topic (`user:<id>`). */
export const personTopics = (byPerson: PersonEvents): TopicEvents[] => [...byPerson].map(([userId, events]) => ({ topic: `user:${userId}`, events }));

/** Each person's events on their topic, all in one round trip. */
export async function publishToPeople(trx: Knex.Transaction, byPerson: PersonEvents): Promise<void> {
  await publishTopics(trx, personTopics(byPerson));
}

/** Persistent notifications (one per idempotency key), each announced to its person with their new unread count. */
export async function notifyPeople(trx: Knex.Transaction, list: NewNotification[]): Promise<void> {
  await publishToPeople(trx, await notificationEvents(trx, await insertNotifications(trx, list)));
}
