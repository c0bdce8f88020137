import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { outboxMailer } from './outbox-mailer.ts';
import { smtpMailer } from './smtp-mailer.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Same key, same mail: a retried send is not delivered twice (the outbox enforces it; SMTP passes it as Message-ID). */
  idempotencyKey?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** SMTP_URL when set; otherwise the dev outbox in PostgreSQL, shown at /dev/outbox. */
export function createMailer(config: Config, db: Knex): Mailer {
  return config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : outboxMailer(db);
}
