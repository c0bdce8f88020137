import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../connection.ts';
import type { Config } from '../../runtime/config.ts';
import { getOrCreateSecret } from './app-secrets.ts';
import { ensureJobSettings, replaceSigningSecret, type JobSettingsRow } from './jobs-settings.ts';
import { keyringFromAppSecret, keyringFromConfig, open, seal, type Keyring } from '../../domain/jobs/secret-box.ts';

const keyrings = new WeakMap<Db, Promise<Keyring>>();

/**
 * The keys that seal signing secrets: ENCRYPTION_KEYS when set, else one derived from the app
 * secret, read the way the API reads it (APP_SECRET, else the generated one in app_secrets), so
 * the API and the workers, sharing the database, always agree.
 */
export function jobSecretKeyring(db: Db, config: Pick<Config, 'ENCRYPTION_KEYS' | 'APP_SECRET'>): Promise<Keyring> {
  let keyring = keyrings.get(db);
  if (!keyring) {
    keyring = config.ENCRYPTION_KEYS ? Promise.resolve(keyringFromConfig(config.ENCRYPTION_KEYS)) : appSecretOf(db, config).then(keyringFromAppSecret);
    keyring.catch(() => keyrings.delete(db));
    keyrings.set(db, keyring);
  }
  return keyring;
}

/** APP_SECRET, else the one generated into app_secrets: the same rule as api/auth/app-keys.ts. */
export function appSecretOf(db: Db, config: Pick<Config, 'APP_SECRET'>): Promise<string> {
  return config.APP_SECRET ? Promise.resolve(config.APP_SECRET) : getOrCreateSecret(db, 'app_secret', () => randomBytes(32).toString('base64url'));
}

function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The organization's job settings, made with a new sealed signing secret on first use. */
export function jobSettingsFor(db: Db, keyring: Keyring, organizationId: number): Promise<JobSettingsRow> {
  return ensureJobSettings(db, organizationId, () => seal(keyring, newSigningSecret()));
}

/** The organization's signing secret in clear. Never log or answer it (but by the reveal route). */
export async function signingSecretOf(db: Db, keyring: Keyring, organizationId: number): Promise<string> {
  return open(keyring, (await jobSettingsFor(db, keyring, organizationId)).signing_secret_encrypted);
}

/** A new secret signs from now on; the old one beside it for the overlap, while receivers switch. */
export async function rotateSigningSecret(db: Db, keyring: Keyring, organizationId: number): Promise<string> {
  await jobSettingsFor(db, keyring, organizationId);
  const secret = newSigningSecret();
  await replaceSigningSecret(db, organizationId, seal(keyring, secret));
  return secret;
}

/** A short, non-secret fingerprint, so a person can tell which secret a receiver has without revealing it. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', 'fingerprint').update(secret).digest('hex').slice(0, 12);
}
