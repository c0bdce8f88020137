/**
 * What a mail is about, for the dev outbox's filter. Every sender already gives its mail an
 * idempotency key that starts with its family's name, so the kind is read from that prefix.
 */
export const MAIL_KINDS = ['booking', 'invitation', 'job', 'store', 'account', 'board', 'other'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

const PREFIXES: ReadonlyArray<[string, MailKind]> = [
  ['booking', 'booking'],
  ['invitation', 'invitation'],
  ['job', 'job'],
  ['store', 'store'],
  ['sign-up', 'account'],
  ['comment', 'board'],
];

export function mailKindOf(idempotencyKey: string | null | undefined): MailKind {
  if (!idempotencyKey) return 'other';
  return PREFIXES.find(([prefix]) => idempotencyKey.startsWith(prefix))?.[1] ?? 'other';
}
