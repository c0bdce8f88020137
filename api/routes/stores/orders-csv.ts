import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../../db/connection.ts';
import { minorDigits } from '../../../domain/stores/decimal-money.ts';
import { refundedOf } from '../../../domain/stores/metric-buckets.ts';
import type { RefundFacts } from '../../../domain/stores/payloads.ts';

const COLUMNS = ['order', 'placed_at', 'status', 'currency', 'total', 'refunded', 'net_sales', 'units', 'counted', 'not_counted_because'];

/** Minor units as a plain decimal ("1234.50"), as a spreadsheet reads it. */
const decimal = (minor: number, currency: string) => {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
};

/**
 * A store's orders as CSV, oldest first: what was sold, refunded and counted, and why an order
 * was not. No customer details. A cell a spreadsheet would run as a formula is quoted as text.
 */
export async function ordersCsv(db: Db, storeId: number): Promise<string> {
  const rows = await db('store_orders')
    .where({ store_id: storeId })
    .orderBy('placed_at')
    .select('name', 'placed_at', 'status', 'currency', 'total_minor', 'refunds', 'counted', 'counted_revenue_minor', 'units', 'rejected_reason');
  const records = rows.map((r: { name: string; placed_at: Date; status: string; currency: string; total_minor: number | string; refunds: Record<string, RefundFacts>; counted: boolean; counted_revenue_minor: number | string; units: number; rejected_reason: string | null }) => {
    const refunded = refundedOf(r.refunds);
    return [
      r.name,
      r.placed_at.toISOString(),
      r.status,
      r.currency,
      decimal(Number(r.total_minor), r.currency),
      decimal(refunded, r.currency),
      decimal(Number(r.counted_revenue_minor), r.currency),
      r.units,
      r.counted ? 'yes' : 'no',
      r.rejected_reason ?? '',
    ];
  });
  return stringify([COLUMNS, ...records], { cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value) } });
}
