import type { Logger } from 'pino';
import type { Config } from '../runtime/config.ts';
import type { Db } from '../db/connection.ts';
import type { TemporalGateway } from './temporal.ts';
import type { Mailer } from '../runtime/mail/mailer.ts';

/** What every route may use; built once per process by the server. */
export interface AppContext {
  config: Config;
  db: Db;
  log: Logger;
  temporal: TemporalGateway | null;
  /** Outgoing mail; when absent the app uses SMTP_URL or the dev outbox (createMailer). */
  mailer?: Mailer;
}
