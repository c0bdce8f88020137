import type { Knex } from 'knex';
import type { StoreAlertKind } from '../../domain/stores/alert-rules.ts';
import type { StoreAlertView } from '../../domain/stores/views.ts';

type Conn = Knex | Knex.Transaction;

type Row = { id: number; store_id: number; kind: StoreAlertKind; title: string; body: string; data: Record<string, unknown>; fired_at: Date; cleared_at: Date | null };
const view = (r: Row): StoreAlertView => ({ id: r.id, storeId: r.store_id, kind: r.kind, title: r.title, body: r.body, data: r.data, firedAt: r.fired_at.toISOString(), clearedAt: r.cleared_at?.toISOString() ?? null });

/** Fires unless this condition already has an open alert: null then (each condition alerts once). */
export async function fireAlert(trx: Conn, alert: { storeId: number; kind: StoreAlertKind; conditionKey: string; title: string; body: string; data: Record<string, unknown> }): Promise<StoreAlertView | null> {
  const result = await trx.raw<{ rows: Row[] }>(
    `insert into store_alerts (store_id, kind, condition_key, title, body, data) values (?, ?, ?, ?, ?, ?)
     on conflict (store_id, kind, condition_key) where cleared_at is null do nothing returning *`,
    [alert.storeId, alert.kind, alert.conditionKey, alert.title, alert.body, JSON.stringify(alert.data)],
  );
  return result.rows[0] ? view(result.rows[0]) : null;
}

/** The condition is over (stock recovered, webhooks back): the next occurrence alerts again. The alert it cleared, if one was open. */
export async function clearAlert(trx: Conn, storeId: number, kind: StoreAlertKind, conditionKey: string): Promise<StoreAlertView | null> {
  return (await clearAlerts(trx, [storeId], kind, conditionKey))[0] ?? null;
}

/** clearAlert for several stores in one statement: the alerts it cleared. */
export async function clearAlerts(trx: Conn, storeIds: number[], kind: StoreAlertKind, conditionKey: string): Promise<StoreAlertView[]> {
  const rows: Row[] = await trx('store_alerts').whereIn('store_id', storeIds).where({ kind, condition_key: conditionKey }).whereNull('cleared_at').update({ cleared_at: trx.fn.now() }, '*');
  return rows.map(view);
}

export async function listAlerts(db: Conn, storeIds: number[], limit: number): Promise<StoreAlertView[]> {
  const rows: Row[] = await db('store_alerts').whereIn('store_id', storeIds).orderBy('id', 'desc').limit(limit);
  return rows.map(view);
}

/** Alerts whose email has not gone yet (the activity sends after commit, so a crash leaves them here). */
export async function alertsAwaitingEmail(db: Conn, storeId: number): Promise<StoreAlertView[]> {
  const rows: Row[] = await db('store_alerts').where({ store_id: storeId }).whereNull('emailed_at').orderBy('id').limit(100);
  return rows.map(view);
}

/** Those of the stores with an alert not mailed yet, in one query. */
export async function storesAwaitingEmail(db: Conn, storeIds: number[]): Promise<number[]> {
  return (await db('store_alerts').whereIn('store_id', storeIds).whereNull('emailed_at').distinct('store_id').pluck('store_id')).map(Number);
}

export async function markAlertEmailed(db: Conn, alertId: number): Promise<void> {
  await db('store_alerts').where({ id: alertId }).update({ emailed_at: db.fn.now() });
}
