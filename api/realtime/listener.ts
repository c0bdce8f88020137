import pg from 'pg';
import type { Logger } from 'pino';

export interface ListenerOptions {
  connection: pg.ClientConfig;
  channels: string[];
  log: Logger;
  onNotification: (channel: string, payload: string) => void;
  /** Called after a lost connection is back and listening: notifications sent meanwhile are gone. */
  onReconnected: () => void;
  /** First and longest wait between reconnection attempts. */
  backoffMs?: { min: number; max: number };
}

/**
 * The one LISTEN connection of an API process. It lives outside the knex pool because a
 * pooled connection could be handed to a query or recycled, and LISTEN belongs to a session.
 */
export class Listener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: { min: number; max: number };

  constructor(private readonly options: ListenerOptions) {
    this.backoff = options.backoffMs ?? { min: 100, max: 5000 };
  }

  /** Resolves once listening; a failure here is a failure to start, later ones are retried. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** The backend pid of the connection, so tests and operators can find it in pg_stat_activity. */
  get pid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...this.options.connection, application_name: 'pulseboard-relay' });
    client.on('notification', (message) => this.options.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    this.options.log.warn({ err: error.message }, 'relay listener lost its connection; reconnecting');
    this.retry(this.backoff.min);
  }

  private retry(delay: number): void {
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      if (this.closed) return;
      try {
        await this.connect();
      } catch (error) {
        this.options.log.warn({ err: (error as Error).message, retryInMs: delay }, 'relay listener could not reconnect');
        this.retry(Math.min(delay * 2, this.backoff.max));
        return;
      }
      if (this.closed) return;
      this.options.log.info('relay listener reconnected');
      this.options.onReconnected();
    }, delay);
  }
}
