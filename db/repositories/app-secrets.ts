import type { Db } from '../connection.ts';

/** The named secret, created with `generate()` by whichever process asks first; later callers read the same one. */
export async function getOrCreateSecret(db: Db, name: string, generate: () => string): Promise<string> {
  await db('app_secrets').insert({ name, value: generate() }).onConflict('name').ignore();
  const row = await db('app_secrets').where({ name }).first('value');
  return row.value as string;
}
