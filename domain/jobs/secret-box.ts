import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets kept at rest (each organization's signing secret). A keyring holds one
 * or more keys by id; the first encrypts, all decrypt, so keys can be rotated: add a new one in
 * front, and old ciphertexts still open. The stored form names its key:
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export interface Keyring {
  keys: ReadonlyArray<{ id: string; key: Buffer }>;
}

/** ENCRYPTION_KEYS as configured: "id:base64key[,id:base64key...]" (already checked by the config schema). */
export function keyringFromConfig(value: string): Keyring {
  return {
    keys: value.split(',').map((entry) => {
      const [id, key] = entry.split(':');
      const bytes = Buffer.from(key, 'base64');
      if (bytes.length !== 32) throw new Error(`ENCRYPTION_KEYS: key "${id}" must be 32 bytes`);
      return { id, key: bytes };
    }),
  };
}

/** Without ENCRYPTION_KEYS: one key derived from the app secret for this purpose only. */
export function keyringFromAppSecret(appSecret: string): Keyring {
  return { keys: [{ id: 'app', key: createHmac('sha256', appSecret).update('job-secrets-at-rest').digest() }] };
}

export function seal(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.keys[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Throws when the key is unknown or the ciphertext was tampered with. */
export function open(keyring: Keyring, sealed: string): string {
  const [version, id, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || ciphertext === undefined) throw new Error('not a sealed secret');
  const entry = keyring.keys.find((k) => k.id === id);
  if (!entry) throw new Error(`no key "${id}" in the keyring`);
  const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
