import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Db } from './connection.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

type Migration = { up: (db: Knex) => Promise<void>; down: (db: Knex) => Promise<void> };

/** Knex's own loader does not know tsx; this source imports the .ts migration files itself. */
const source: Knex.MigrationSource<string> = {
  async getMigrations() {
    const files = await readdir(MIGRATIONS_DIR);
    return files.filter((file) => /^\d+_[\w-]+\.ts$/.test(file)).sort();
  },
  getMigrationName: (file) => file.replace(/\.ts$/, ''),
  async getMigration(file): Promise<Migration> {
    return import(pathToFileURL(MIGRATIONS_DIR + file).href);
  },
};

const options = { migrationSource: source, tableName: 'knex_migrations' };

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest(options);
  return applied;
}

export async function migrateDownAll(db: Db): Promise<string[]> {
  const [, reverted] = await db.migrate.rollback(options, true);
  return reverted;
}

export async function migrateDownOne(db: Db): Promise<string[]> {
  const [, reverted] = await db.migrate.down(options);
  return reverted;
}

export async function migrationStatus(db: Db): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = await db.migrate.list(options);
  return {
    applied: applied.map((row: { name: string }) => row.name),
    pending: pending.map((file: string) => source.getMigrationName(file)),
  };
}
