/**
 * Shopify and WooCommerce send amounts as decimal strings ("199.90"). Converted exactly to integer
 * minor units of the currency (its digits from Intl: JPY 0, KWD 3), never through a float sum.
 */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyDigits(currency);
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

// Building an Intl.NumberFormat costs a tenth of a millisecond, and every amount of every webhook asks.
const digitsByCurrency = new Map<string, number>();

function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function decimalToMinor(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? value.toFixed(minorDigits(currency)) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const digits = minorDigits(currency);
  const fraction = (match[3] ?? '').padEnd(digits + 1, '0');
  let minor = BigInt(match[2]) * 10n ** BigInt(digits) + BigInt(fraction.slice(0, digits) || '0');
  if (Number(fraction[digits]) >= 5) minor += 1n; // half up on a sub-minor remainder
  const result = Number(minor);
  return match[1] ? -result : result;
}
