import { DateTime } from 'luxon';
import type { StoreAlertKind } from './alert-rules.ts';
import { alertClears } from './alert-rules.ts';

export interface DigestEntry {
  storeId: number;
  storeName: string;
  kind: StoreAlertKind;
  title: string;
  body: string;
  firedAt: Date;
  clearedAt: Date | null;
}

/**
 * The daily digest mail: a day's alerts grouped by store, each store with the link to its page,
 * times in the person's zone. Pure (the activity sends it); null when there is nothing to say,
 * so an empty day mails nobody.
 */
export function alertDigestText(input: { localDate: string; timezone: string; publicUrl: string; alerts: DigestEntry[] }): { subject: string; text: string } | null {
  if (!input.alerts.length) return null;
  const stores = new Map<number, DigestEntry[]>();
  for (const alert of input.alerts) stores.set(alert.storeId, [...(stores.get(alert.storeId) ?? []), alert]);
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: input.timezone }).toFormat('d LLL HH:mm');
  const state = (a: DigestEntry) => (!alertClears(a.kind) ? '' : a.clearedAt ? ` (cleared ${at(a.clearedAt)})` : ' (still open)');
  const sections = [...stores.values()].map((alerts) =>
    [`${alerts[0].storeName} (${alerts.length} alert${alerts.length === 1 ? '' : 's'})`, `${input.publicUrl}/stores/${alerts[0].storeId}`, ...alerts.map((a) => `- ${at(a.firedAt)} ${a.title}${state(a)}\n  ${a.body}`)].join('\n'),
  );
  const count = input.alerts.length;
  return {
    subject: `Pulseboard digest for ${input.localDate}: ${count} store alert${count === 1 ? '' : 's'}`,
    text: [`Store alerts of the last day (times in ${input.timezone}):`, ...sections, `Choose which alerts email you, and when: ${input.publicUrl}/stores/alert-settings`].join('\n\n'),
  };
}
