import type { Db } from '../db/connection.ts';
import type { Mailer } from '../runtime/mail/mailer.ts';
import { createBookingActivities } from './bookings/record-transition.ts';
import { answerLinkBuilder } from './bookings/respond-links.ts';
import { createStoreActivities } from './stores/index.ts';
import { createJobActivities } from './jobs/activities.ts';
import { createCalendarActivities } from './calendars/refresh-feeds.ts';
import { storeKeyring } from '../db/repositories/stores-keyring.ts';
import { config } from '../runtime/config.ts';
import { createOutboundClient } from '../runtime/outbound-http.ts';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  linkKey: Uint8Array;
  /** Whether customers' addresses may be on 127.0.0.1 (tests); this process's ALLOW_LOOPBACK_TARGETS unless given. */
  allowLoopbackTargets?: boolean;
}

/** Every activity the worker registers, bound to this process's database and mailer. */
export function createActivities(deps: ActivityDeps) {
  // One guarded client for every call to an address a customer gave: job targets, webhooks, store APIs.
  const http = createOutboundClient({ allowLoopback: deps.allowLoopbackTargets ?? config().ALLOW_LOOPBACK_TARGETS });
  return {
    ...createBookingActivities({ db: deps.db, mailer: deps.mailer, publicUrl: deps.publicUrl, answerLinks: answerLinkBuilder(deps.publicUrl, deps.linkKey) }),
    ...createStoreActivities({ db: deps.db, mailer: deps.mailer, publicUrl: deps.publicUrl, keyring: () => storeKeyring(deps.db, config()), http }),
    ...createJobActivities({ db: deps.db, mailer: deps.mailer, publicUrl: deps.publicUrl, http }),
    ...createCalendarActivities({ db: deps.db, http, keyring: () => storeKeyring(deps.db, config()) }),
  };
}
