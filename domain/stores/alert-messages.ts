import { formatMoney } from '../money.ts';

/** What people read when an alert fires, in-app and by email. Pure: the activity writes and sends. */
export interface AlertText {
  title: string;
  body: string;
}

export function highValueOrderText(storeName: string, order: { name: string; totalMinor: number; currency: string }): AlertText {
  const total = formatMoney(order.totalMinor, order.currency, 'en-GB');
  return { title: `High-value order ${order.name} at ${storeName}`, body: `${storeName} received order ${order.name} for ${total}.` };
}

export function lowStockText(storeName: string, item: { itemId: string; title: string | null; available: number; threshold: number }): AlertText {
  const what = item.title ?? `item ${item.itemId}`;
  return { title: `Low stock: ${what} at ${storeName}`, body: `${what} is down to ${item.available} (alert at ${item.threshold} or fewer).` };
}

export function revenueDropText(storeName: string, drop: { hourLabel: string; currentMinor: number; lastWeekMinor: number; currency: string }): AlertText {
  const now = formatMoney(drop.currentMinor, drop.currency, 'en-GB');
  const then = formatMoney(drop.lastWeekMinor, drop.currency, 'en-GB');
  return { title: `Revenue drop at ${storeName}`, body: `${drop.hourLabel}: ${now}, against ${then} in the same hour last week.` };
}

export function webhooksQuietText(storeName: string, missed: number): AlertText {
  return {
    title: `Webhooks from ${storeName} have gone quiet`,
    body: `${missed} order change(s) reached us only through reconciliation. WooCommerce disables a webhook after repeated failed deliveries: check its status under WooCommerce → Settings → Advanced → Webhooks.`,
  };
}

export function backfillFailedText(storeName: string, error: string): AlertText {
  return { title: `Loading history failed at ${storeName}`, body: `Pulseboard could not load ${storeName}'s past orders: ${error}. Retry from the store's page once the cause is fixed.` };
}
