import type { Knex } from 'knex';
import { publish } from '../notify/publish.ts';
import { feedItemOf, upsertOrder, type OrderChange } from '../../db/repositories/orders.ts';
import type { StoreRow } from '../../db/repositories/stores.ts';
import type { OrderFacts } from '../../domain/stores/payloads.ts';
import { isHighValue } from '../../domain/stores/alert-rules.ts';
import { highValueOrderText } from '../../domain/stores/alert-messages.ts';
import { raiseAlert } from './store-alerts.ts';

/** One order version, from a webhook, a backfill page or a reconcile: stored, announced, alerted on. */
export async function applyOrder(trx: Knex.Transaction, store: StoreRow, order: OrderFacts): Promise<OrderChange> {
  const change = await upsertOrder(trx, store, order);
  if (change.outcome === 'stale') return change;
  await publish(trx, `store:${store.id}`, change.outcome === 'created' ? 'order.created' : 'order.updated', feedItemOf(order));
  if (change.now.counted && isHighValue(order.totalMinor, store.high_value_threshold_minor)) {
    await raiseAlert(trx, store, 'high_value_order', order.externalId, highValueOrderText(store.name, order), { orderId: order.externalId, name: order.name, totalMinor: order.totalMinor, currency: order.currency });
  }
  return change;
}
