import type { Knex } from 'knex';
import type { Mailer } from './mailer.ts';
import { mailKindOf } from '../../domain/mail/mail-kind.ts';

/** Keeps mail in the dev_outbox table instead of sending it. */
export function outboxMailer(db: Knex): Mailer {
  return {
    async send(message) {
      await db('dev_outbox')
        .insert({
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          html_body: message.html ?? null,
          idempotency_key: message.idempotencyKey ?? null,
          kind: mailKindOf(message.idempotencyKey),
        })
        .onConflict('idempotency_key')
        .ignore();
    },
  };
}
