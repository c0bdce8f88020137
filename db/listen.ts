import pg from 'pg';
import type { Db } from './connection.ts';

export interface ListenOptions {
  channel: string;
  /** How the connection shows in pg_stat_activity. */
  applicationName: string;
  onPayload: (payload: string) => void;
  /** The connection broke (it is closed here): the caller listens again when it next needs to. */
  onLost: (connection: pg.Client) => void;
}

/**
 * A connection of its own (LISTEN holds it; a pooled one would be handed to others) listening on
 * one channel. It never keeps a process alive that is otherwise done.
 */
export async function listenOn(db: Db, { channel, applicationName, onPayload, onLost }: ListenOptions): Promise<pg.Client> {
  const connection = new pg.Client({ ...(db.client.config.connection as pg.ClientConfig), application_name: applicationName });
  connection.on('notification', (message) => onPayload(message.payload ?? ''));
  connection.on('error', () => {
    onLost(connection);
    void connection.end().catch(() => undefined);
  });
  await connection.connect();
  await connection.query(`listen ${channel}`);
  (connection as unknown as { connection: { stream: { unref(): void } } }).connection.stream.unref();
  return connection;
}
