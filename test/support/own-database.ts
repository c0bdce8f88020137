import { createDb, ensureDatabase, withDatabase, type Db } from '../../db/connection.ts';

/** An empty database of the test's own on the run's server, for tests that migrate up and down (the others share theirs). */
export async function databaseOfItsOwn(prefix: string): Promise<Db> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  await ensureDatabase(process.env.TEST_SERVER_URL!, name);
  return createDb(withDatabase(process.env.TEST_SERVER_URL!, name), 1);
}
