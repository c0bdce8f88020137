/**
 * Money as integer minor units (cents, yen, fils) with an ISO 4217 currency: no floating point in
 * anything that is stored, summed or charged.
 */
import { z } from 'zod';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as EUR');

export const moneySchema = z.object({
  amountMinor: z.int(),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

/** Formats for people, e.g. 1999 EUR in de-DE as "19,99 €"; the currency's own minor digits come from Intl (JPY 0, KWD 3). */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/**
 * The price of `minutes` at an hourly rate, in the rate's minor units. Exact integer arithmetic,
 * rounded half up (exactly half a minor unit goes up), which is how a customer would
 * check the bill by hand; 50 minutes at 10.00/h is 8.33, 3 minutes at 0.10/h is 0.01.
 */
export function multiplyHourly(rateMinor: number, minutes: number): number {
  if (!Number.isSafeInteger(rateMinor) || rateMinor < 0) throw new RangeError(`rate must be a non-negative integer of minor units, got ${rateMinor}`);
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  const total = BigInt(rateMinor) * BigInt(minutes);
  const whole = total / 60n;
  const remainder = total % 60n;
  return Number(remainder * 2n >= 60n ? whole + 1n : whole);
}
