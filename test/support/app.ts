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

export function testContext(overrides: Partial<AppContext> = {}): AppContext {
  return {
    config: parseConfig({ ...process.env, NODE_ENV: 'test', ALLOW_LOOPBACK_TARGETS: 'true' }),
    db: testDb(),
    log: createLogger('silent'),
    temporal: null,
    ...overrides,
  };
}
