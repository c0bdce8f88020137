import type { Db } from '../db/connection.ts';
import type { Mailer } from './email/mailer.ts';
import { createBookingActivities } from './bookings/record-transition.ts';
import { respondLinkBuilder } from './bookings/respond-links.ts';
import { createStoreActivities } from './stores/index.ts';
import { createJobActivities } from './jobs/activities.ts';
import { createOutboundClient } from './jobs/outbound-request.ts';
import { storeKeyring } from '../db/repositories/stores-keyring.ts';
import { config } from '../runtime/config.ts';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  linkKey: Uint8Array;
  allowLoopbackTargets?: boolean;
}

/** Every activity the worker registers, bound to this process's database and mailer. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBookingActivities({ db: deps.db, mailer: deps.mailer, publicUrl: deps.publicUrl, respondLinks: respondLinkBuilder(deps.publicUrl, deps.linkKey) }),
    ...createStoreActivities({
      db: deps.db,
      mailer: deps.mailer,
      publicUrl: deps.publicUrl,
      keyring: () => storeKeyring(deps.db, config()),
      http: createOutboundClient({ allowLoopback: deps.allowLoopbackTargets ?? config().ALLOW_LOOPBACK_TARGETS }),
    }),
    ...createJobActivities({ db: deps.db, mailer: deps.mailer, publicUrl: deps.publicUrl }),
  };
}
