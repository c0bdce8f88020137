import { DateTime } from 'luxon';
import type { RefundFacts } from './payloads.ts';

/**
 * Metrics are kept per hour and per day of the store's own clock: "today" for a shop in Sydney
 * starts at its midnight, not UTC's. An hour is named by the UTC instant it starts, so the
 * repeated hour at a DST fall-back is a row of its own and the missing one never appears.
 */
export interface LocalHour {
  hourStart: Date;
  localDate: string;
  localHour: number;
}

export function localHourOf(at: Date, timezone: string): LocalHour {
  const local = DateTime.fromJSDate(at, { zone: timezone }).startOf('hour');
  return { hourStart: local.toJSDate(), localDate: local.toISODate()!, localHour: local.hour };
}

/** The store's calendar date at `at`, and the day before. */
export function localDays(at: Date, timezone: string): { today: string; yesterday: string } {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return { today: local.toISODate()!, yesterday: local.minus({ days: 1 }).toISODate()! };
}

/** The same local hour one week earlier (168 hours earlier except across a DST change). */
export function sameHourLastWeek(hourStart: Date, timezone: string): Date {
  return DateTime.fromJSDate(hourStart, { zone: timezone }).minus({ weeks: 1 }).toJSDate();
}

/** What an order adds to the figures: nothing unless it counts; its net sales over all its refunds. */
export interface Contribution {
  counted: boolean;
  revenueMinor: number;
  units: number;
}

type Countable = { countable: boolean; rejection?: string | null; totalMinor: number; refunds: Record<string, RefundFacts>; lines: Array<{ quantity: number }> };

/** What an order's refunds came to, all together. */
export function refundedOf(refunds: Record<string, RefundFacts>): number {
  return Object.values(refunds).reduce((sum, r) => sum + r.amountMinor, 0);
}

/**
 * The refunds of a new version of an order beside those held: a refund only held stays (it came
 * on its own), a refund in both takes the new amount and keeps the date it was first held with
 * (WooCommerce's are dated by the first version naming them).
 */
export function mergedRefunds(held: Record<string, RefundFacts>, given: Record<string, RefundFacts>): Record<string, RefundFacts> {
  const merged = { ...held };
  for (const [id, refund] of Object.entries(given)) merged[id] = held[id] ? { ...refund, at: held[id].at } : refund;
  return merged;
}

/** Net sales: the total less its refunds, never below nothing. A rejected order counts nothing. */
export function contributionOf(order: Countable): Contribution {
  if (!order.countable || order.rejection) return { counted: false, revenueMinor: 0, units: 0 };
  return { counted: true, revenueMinor: Math.max(0, order.totalMinor - refundedOf(order.refunds)), units: order.lines.reduce((sum, l) => sum + l.quantity, 0) };
}

/** One move of the figures at one instant: net sales, of which refunds taken off, orders and units. */
export interface FigureMove {
  at: Date;
  revenueMinor: number;
  refundsMinor: number;
  orders: number;
  units: number;
}

/**
 * Where a counted order moves the figures, as Shopify's reports do: its total, one order and its
 * units when it was placed; each refund off net sales when it was made (oldest first, never
 * before the order), never more in all than the total, so a day's net sales drop on the day of
 * the refund, not on the order's.
 */
export function figureMovesOf(order: { placedAt: Date; totalMinor: number; units: number; refunds: Record<string, RefundFacts> }): FigureMove[] {
  const moves: FigureMove[] = [{ at: order.placedAt, revenueMinor: order.totalMinor, refundsMinor: 0, orders: 1, units: order.units }];
  let left = Math.max(0, order.totalMinor);
  const refunds = Object.entries(order.refunds).sort(([a, x], [b, y]) => x.at.localeCompare(y.at) || a.localeCompare(b));
  for (const [, refund] of refunds) {
    const amount = Math.min(left, refund.amountMinor);
    left -= amount;
    if (amount > 0) moves.push({ at: new Date(Math.max(Date.parse(refund.at), order.placedAt.getTime())), revenueMinor: -amount, refundsMinor: amount, orders: 0, units: 0 });
  }
  return moves;
}

/** Average order value in minor units, rounded half up; 0 with no orders. */
export function averageOrderValue(revenueMinor: number, orders: number): number {
  return orders > 0 ? Math.floor((revenueMinor * 2 + orders) / (2 * orders)) : 0;
}
