import { DateTime } from 'luxon';

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

/** What an order adds to the figures: nothing unless it counts. */
export interface Contribution {
  counted: boolean;
  revenueMinor: number;
  units: number;
}

/** Net sales: the total less its refunds, never below nothing. A rejected order counts nothing. */
export function contributionOf(order: { countable: boolean; rejection?: string | null; totalMinor: number; refunds: Record<string, number>; lines: Array<{ quantity: number }> }): Contribution {
  if (!order.countable || order.rejection) return { counted: false, revenueMinor: 0, units: 0 };
  const refunded = Object.values(order.refunds).reduce((sum, amount) => sum + amount, 0);
  return { counted: true, revenueMinor: Math.max(0, order.totalMinor - refunded), units: order.lines.reduce((sum, l) => sum + l.quantity, 0) };
}

/** Average order value in minor units, rounded half up; 0 with no orders. */
export function averageOrderValue(revenueMinor: number, orders: number): number {
  return orders > 0 ? Math.floor((revenueMinor * 2 + orders) / (2 * orders)) : 0;
}
