import { randomBytes } from 'node:crypto';
import type { Db } from '../connection.ts';
import type { Config } from '../../runtime/config.ts';
import { insertStore } from '../repositories/stores.ts';
import { storeKeyring } from '../repositories/stores-keyring.ts';
import { open, seal } from '../../domain/jobs/secret-box.ts';

const DEMO_OWNER = 'olivia.owner@acme.test';
const DEMO_ORGANIZATION = 'Acme Ops';
const DEMO_SHOP = 'acme-outdoor-demo.myshopify.com';

/**
 * The demo Shopify store of the "Acme Ops" demo organization (seedDemoData makes it first), and
 * its webhook secret, so the demo sender can sign. Idempotent: an existing demo store is kept,
 * pointed at `apiBaseUrl` (the demo's own stand-in for Shopify's API, on a new port each start).
 * Null when the demo organization is not there.
 */
export async function seedDemoStore(db: Db, config: Pick<Config, 'ENCRYPTION_KEYS' | 'APP_SECRET'>, apiBaseUrl: string): Promise<{ storeId: number; webhookSecret: string } | null> {
  const keyring = await storeKeyring(db, config);
  return db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('pulseboard:seed-demo-store'))");
    const org = await trx('organizations')
      .join('memberships', 'memberships.organization_id', 'organizations.id')
      .join('users', 'users.id', 'memberships.user_id')
      .where({ 'organizations.name': DEMO_ORGANIZATION, 'users.email': DEMO_OWNER, 'memberships.role': 'owner' })
      .first('organizations.id');
    if (!org) return null;
    const existing = await trx('stores').where({ organization_id: org.id, platform: 'shopify', domain: DEMO_SHOP }).first('id', 'webhook_secret_sealed');
    if (existing) {
      await trx('stores').where({ id: existing.id }).update({ api_base_url: apiBaseUrl });
      return { storeId: Number(existing.id), webhookSecret: open(keyring, existing.webhook_secret_sealed) };
    }
    const webhookSecret = randomBytes(32).toString('base64url');
    const store = await insertStore(trx, {
      organization_id: org.id,
      platform: 'shopify',
      name: 'Acme Outdoor (demo)',
      domain: DEMO_SHOP,
      api_base_url: apiBaseUrl,
      credentials_sealed: seal(keyring, JSON.stringify({ accessToken: 'shpat_demo_store_token' })),
      webhook_secret_sealed: seal(keyring, webhookSecret),
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      // The demo sells about ten orders a minute, averaging ~€250: about one in fifty reaches €600, so
      // its owner gets a high-value alert every few minutes, not one for nearly every other order.
      high_value_threshold_minor: 60_000,
      low_stock_threshold: 5,
      revenue_drop_percent: 50,
    });
    return { storeId: store!.id, webhookSecret };
  });
}
