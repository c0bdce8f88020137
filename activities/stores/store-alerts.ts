import type { Knex } from 'knex';
import type { Db } from '../../db/connection.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { publish } from '../../db/realtime/publish.ts';
import { notifyPeople } from '../../db/realtime/notification-events.ts';
import { storeAlertRecipients, type StoreRow } from '../../db/repositories/stores.ts';
import { immediateAlertRecipients } from '../../db/repositories/alert-settings.ts';
import { alertsAwaitingEmail, clearAlerts, fireAlert, markAlertEmailed } from '../../db/repositories/stores-alerts.ts';
import type { StoreAlertKind } from '../../domain/stores/alert-rules.ts';
import type { AlertText } from '../../domain/stores/alert-messages.ts';

/**
 * Fires an alert inside the applying transaction: once per condition (the unique open-condition
 * key), with an in-app notification for each owner and admin and a `store:<id>` announcement.
 * Emails wait in the alert row until after commit (sendPendingAlertEmails).
 */
export async function raiseAlert(trx: Knex.Transaction, store: StoreRow, kind: StoreAlertKind, conditionKey: string, text: AlertText, data: Record<string, unknown>): Promise<boolean> {
  const alert = await fireAlert(trx, { storeId: store.id, kind, conditionKey, ...text, data });
  if (!alert) return false;
  const recipients = await storeAlertRecipients(trx, store.organization_id);
  const link = `/stores/${store.id}`;
  await notifyPeople(
    trx,
    recipients.map((r) => ({ userId: r.id, kind: `store.${kind}`, title: text.title, body: text.body, link, idempotencyKey: `store-alert:${alert.id}:${r.id}` })),
  );
  await publish(trx, `store:${store.id}`, 'alert.fired', alert);
  return true;
}

/** The condition is over (stock back, revenue back, webhooks arriving, history loaded): its open alert clears, live on the dashboard. */
export async function resolveAlert(trx: Knex.Transaction, storeId: number, kind: StoreAlertKind, conditionKey: string): Promise<void> {
  await resolveAlerts(trx, [storeId], kind, conditionKey);
}

/** resolveAlert for several stores at once (an ingest window's group). */
export async function resolveAlerts(trx: Knex.Transaction, storeIds: number[], kind: StoreAlertKind, conditionKey: string): Promise<void> {
  if (!storeIds.length) return;
  for (const cleared of await clearAlerts(trx, storeIds, kind, conditionKey)) await publish(trx, `store:${cleared.storeId}`, 'alert.cleared', cleared);
}

/**
 * Mails every alert of the store not mailed yet to the members who want its kind at once (the
 * others read it in their digest, or in the app); the idempotency key keeps a retry from mailing twice.
 */
export async function sendPendingAlertEmails(deps: { db: Db; mailer: Mailer; publicUrl: string }, store: StoreRow): Promise<number> {
  const pending = await alertsAwaitingEmail(deps.db, store.id);
  for (const alert of pending) {
    for (const r of await immediateAlertRecipients(deps.db, store.organization_id, alert.kind)) {
      await deps.mailer.send({ to: r.email, subject: alert.title, text: `${alert.body}\n\n${deps.publicUrl}/stores/${store.id}`, idempotencyKey: `store-alert:${alert.id}:${r.id}` });
    }
    await markAlertEmailed(deps.db, alert.id);
  }
  return pending.length;
}
