import type { Db } from '../connection.ts';

export interface ApiKeyRow {
  id: string;
  organization_id: number;
  name: string;
  secret_hash: string;
  created_by: number | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertApiKey(db: Db, key: { id: string; organizationId: number; name: string; secretHash: string; createdBy: number }): Promise<ApiKeyRow> {
  const [row] = await db<ApiKeyRow>('api_keys')
    .insert({ id: key.id, organization_id: key.organizationId, name: key.name, secret_hash: key.secretHash, created_by: key.createdBy })
    .returning('*');
  return row;
}

export async function listApiKeys(db: Db, organizationId: number): Promise<ApiKeyRow[]> {
  return db<ApiKeyRow>('api_keys').where({ organization_id: organizationId }).orderBy('created_at');
}

export async function findApiKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return db<ApiKeyRow>('api_keys').where({ id }).first();
}

/** True when a live key of this organization was revoked now. */
export async function revokeApiKey(db: Db, organizationId: number, id: string): Promise<boolean> {
  return (await db('api_keys').where({ organization_id: organizationId, id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() })) > 0;
}

/** Records use at most once a minute: a busy key should not turn every request into a write. */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db('api_keys')
    .where({ id })
    .where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw("now() - interval '1 minute'")))
    .update({ last_used_at: db.fn.now() });
}
