import knex, { type Knex } from 'knex';
import pg from 'pg';

// timestamptz columns come back as Date objects; bigint counters as numbers (they stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Knex;

export function createDb(url: string, poolMax = 10): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'pulseboard' },
    pool: { min: 0, max: poolMax },
  });
}

/** Creates the named database on the server behind `url` unless it exists. */
export async function ensureDatabase(url: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await admin.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

export function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}
