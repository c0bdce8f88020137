import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { getOrCreateSecret } from '../../db/repositories/app-secrets.ts';

/** Keys derived from the one app secret, one per purpose, so a leak of one use cannot forge another. */
export interface AppKeys {
  accessToken: Uint8Array;
  csrf: Uint8Array;
  /** Signs the accept / decline links in providers' emails. */
  bookingLink: Uint8Array;
}

const cache = new WeakMap<AppContext['db'], Promise<AppKeys>>();

/**
 * APP_SECRET when set; otherwise a secret generated once and kept in `app_secrets`, so dev and
 * test sessions survive restarts and several API processes on one database agree.
 */
export function appKeys(ctx: AppContext): Promise<AppKeys> {
  let keys = cache.get(ctx.db);
  if (!keys) {
    keys = loadSecret(ctx).then(derive);
    keys.catch(() => cache.delete(ctx.db));
    cache.set(ctx.db, keys);
  }
  return keys;
}

async function loadSecret(ctx: AppContext): Promise<string> {
  if (ctx.config.APP_SECRET) return ctx.config.APP_SECRET;
  return getOrCreateSecret(ctx.db, 'app_secret', () => randomBytes(32).toString('base64url'));
}

function derive(secret: string): AppKeys {
  const key = (purpose: string) => new Uint8Array(createHmac('sha256', secret).update(purpose).digest());
  return { accessToken: key('access-token'), csrf: key('csrf'), bookingLink: key('booking-link') };
}
