import { createDb, type Db } from '../../db/connection.ts';
import { parseConfig } from '../../runtime/config.ts';
import { createLogger } from '../../runtime/logger.ts';
import type { AppContext } from '../../api/context.ts';

let shared: Db | undefined;

/** The test run's database (made by global-setup), one pool for all tests. */
export function testDb(): Db {
  shared ??= createDb(process.env.DATABASE_URL!, 5);
  return shared;
}

/** The Shopify app the tests install (the fake Shopify knows it too). */
export const TEST_SHOPIFY_APP = { clientId: 'test-shopify-client-id', clientSecret: 'test-shopify-client-secret-0123456789' };

export function testContext(overrides: Partial<AppContext> = {}): AppContext {
  return {
    config: parseConfig({ SHOPIFY_API_KEY: TEST_SHOPIFY_APP.clientId, SHOPIFY_API_SECRET: TEST_SHOPIFY_APP.clientSecret, ...process.env, NODE_ENV: 'test', ALLOW_LOOPBACK_TARGETS: 'true' }),
    db: testDb(),
    log: createLogger('silent'),
    temporal: null,
    ...overrides,
  };
}
