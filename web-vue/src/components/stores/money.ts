const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string): Intl.NumberFormat {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format;
}

/** Minor units in one unit of the currency: 100 for EUR, 1 for JPY, 1000 for KWD. */
export function minorPerUnit(currency: string): number {
  return 10 ** (formatOf(currency).resolvedOptions().maximumFractionDigits ?? 2);
}

/** Integer minor units as the viewer's locale writes the currency (JPY has no minor unit, KWD three). */
export function formatMoney(minor: number, currency: string): string {
  return formatOf(currency).format(minor / minorPerUnit(currency));
}

/** "+12 % vs yesterday", or nothing to compare with. */
export function changeNote(today: number, yesterday: number): string {
  if (yesterday === 0) return today === 0 ? 'Nothing yesterday either' : 'Nothing yesterday';
  const percent = Math.round(((today - yesterday) / yesterday) * 100);
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent)} % vs yesterday`;
}

/** What a figure is compared with, in a note: "vs last year" beside a change, "last year" beside a figure. */
export interface Against {
  vs: string;
  then: string;
}

/** "+12.5 % vs last year (€40.00)" from the API's change in percent; "€0.00 last year" when there was nothing to change from. */
export function changeAgainst(change: number | null, before: string, against: Against): string {
  if (change === null) return `${before} ${against.then}`;
  return `${change >= 0 ? '+' : '−'}${Math.abs(change)} % ${against.vs} (${before})`;
}
