import { createHash } from 'node:crypto';
import type { Db } from '../connection.ts';

export interface InstallState {
  organization_id: number;
  user_id: number;
  shop: string;
  api_base_url: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** How long a person has to approve the install in Shopify. */
const TTL_MS = 15 * 60_000;

export async function rememberInstallState(db: Db, state: string, sessionId: string, install: InstallState): Promise<void> {
  await db('store_install_states').where('expires_at', '<', db.fn.now()).delete();
  await db('store_install_states').insert({ ...install, state_hash: sha256(state), session_hash: sha256(sessionId), expires_at: new Date(Date.now() + TTL_MS) });
}

/** The install this state started, once: only in the session that started it, and only before it expires. */
export async function takeInstallState(db: Db, state: string, sessionId: string): Promise<InstallState | null> {
  const [row] = await db('store_install_states')
    .where({ state_hash: sha256(state), session_hash: sha256(sessionId) })
    .where('expires_at', '>', db.fn.now())
    .delete()
    .returning(['organization_id', 'user_id', 'shop', 'api_base_url']);
  return row ? { ...row, organization_id: Number(row.organization_id), user_id: Number(row.user_id) } : null;
}
