import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.ts';
import type { Config } from '../../runtime/config.ts';
import { keyringFromAppSecret, keyringFromConfig, type Keyring } from '../../domain/jobs/secret-box.ts';
import { getOrCreateSecret } from './app-secrets.ts';

const cache = new WeakMap<Db, Promise<Keyring>>();

/**
 * The keys store credentials and webhook secrets are sealed with: ENCRYPTION_KEYS when set (first
 * encrypts, all decrypt), else one derived from the app secret (APP_SECRET or the generated one
 * the API also uses), so the API that seals and the worker that opens agree.
 */
export function storeKeyring(db: Db, config: Pick<Config, 'ENCRYPTION_KEYS' | 'APP_SECRET'>): Promise<Keyring> {
  let keyring = cache.get(db);
  if (!keyring) {
    keyring = load(db, config);
    keyring.catch(() => cache.delete(db));
    cache.set(db, keyring);
  }
  return keyring;
}

async function load(db: Db, config: Pick<Config, 'ENCRYPTION_KEYS' | 'APP_SECRET'>): Promise<Keyring> {
  if (config.ENCRYPTION_KEYS) return keyringFromConfig(config.ENCRYPTION_KEYS);
  const secret = config.APP_SECRET ?? (await getOrCreateSecret(db, 'app_secret', () => randomBytes(32).toString('base64url')));
  return keyringFromAppSecret(secret);
}
