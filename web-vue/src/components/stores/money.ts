const formats = new Map<string, Intl.NumberFormat>();

/** Integer minor units as the viewer's locale writes the currency (JPY has no minor unit, KWD three). */
export function formatMoney(minor: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** "+12 % vs yesterday", or nothing to compare with. */
export function changeNote(today: number, yesterday: number): string {
  if (yesterday === 0) return today === 0 ? 'Nothing yesterday either' : 'Nothing yesterday';
  const percent = Math.round(((today - yesterday) / yesterday) * 100);
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent)} % vs yesterday`;
}
