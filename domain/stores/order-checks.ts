/**
 * What makes an order unfit to count: kept as received, shown with the reason, never in the
 * figures. A platform bug, a test order or a hostile payload must not move a merchant's revenue.
 */
export interface CheckedFacts {
  totalMinor: number;
  currency: string;
  placedAt: Date;
  updatedAt: Date;
  lines: unknown[];
  /** Problems found while reading the payload (an unreadable date). */
  problems: string[];
}

/** Orders dated before this are not real orders of a store connected today. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clocks differ a little; a day ahead is not. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

export function rejectionOf(order: CheckedFacts, storeCurrency: string, now: Date): string | null {
  const problems = [...order.problems];
  if (order.totalMinor < 0) problems.push('negative total');
  if (order.currency !== storeCurrency) problems.push(`currency ${order.currency}, not the store's ${storeCurrency}`);
  if (order.lines.length === 0) problems.push('no line items');
  const placed = order.placedAt.getTime();
  if (placed > now.getTime() + FUTURE_SLACK_MS) problems.push('placed in the future');
  if (placed < EARLIEST) problems.push('placed before 2000');
  if (order.updatedAt.getTime() < placed - 60_000) problems.push('updated before it was placed');
  return problems.length ? problems.join('; ') : null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO timestamp that names a real instant ("2026-02-30" does not, though Date would roll it
 * into March). One without a zone designator is UTC (WooCommerce's *_gmt fields). Checked by
 * hand, not by a date library: every order of every webhook passes here.
 */
export function strictInstant(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(m[7] ? text.trim() : `${text.trim()}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}
