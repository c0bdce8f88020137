import type { Db } from '../../db/connection.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { config as processConfig, type Config } from '../../runtime/config.ts';
import { createOutboundClient, type OutboundClient } from '../../runtime/outbound-http.ts';
import { createAttemptActivities, createAttemptSteps } from './run-attempt.ts';
import { createWindowActivity } from './run-window.ts';
import { createWindowKeeper, interruptWindow } from './window-keeper.ts';
import { createWindowScheduler } from './window-scheduler.ts';
import { createFinishRunActivity } from './finish-run.ts';
import { createLoadJobActivity } from './load-job.ts';
import { createNotifyActivity } from './notify-owners.ts';
import { planFires } from './plan-fires.ts';
import { createReplayActivity } from './replay-execution.ts';
import { jobSecretKeyring } from '../../db/repositories/job-signing-secrets.ts';
import type { JobActivities, ReplayActivities } from './types.ts';

export interface JobActivityDeps {
  db: Db;
  mailer: Mailer;
  publicUrl?: string;
  /** ALLOW_LOOPBACK_TARGETS, ENCRYPTION_KEYS and APP_SECRET; this process's configuration unless given. */
  config?: Pick<Config, 'ALLOW_LOOPBACK_TARGETS' | 'ENCRYPTION_KEYS' | 'APP_SECRET'>;
  /** The guarded client shared with the worker's other activities; one of its own unless given. */
  http?: OutboundClient;
}

/** The cron-job actor's activities, bound to this process's database, mailer and HTTP client. */
export function createJobActivities(deps: JobActivityDeps): JobActivities & ReplayActivities {
  const settings = deps.config ?? processConfig();
  const http = deps.http ?? createOutboundClient({ allowLoopback: settings.ALLOW_LOOPBACK_TARGETS });
  // One set of steps, so single attempts and windows share their grouped writes.
  const keyring = () => jobSecretKeyring(deps.db, settings);
  const steps = createAttemptSteps({ db: deps.db, http, keyring });
  return {
    planFires,
    ...createLoadJobActivity(deps.db),
    ...createAttemptActivities(deps.db, steps),
    ...createWindowActivity(createWindowScheduler(deps.db, steps, createWindowKeeper(deps.db))),
    interruptJobWindow: ({ jobId }: { jobId: number }) => interruptWindow(deps.db, jobId),
    ...createFinishRunActivity(deps.db),
    ...createNotifyActivity({ db: deps.db, mailer: deps.mailer, http, publicUrl: deps.publicUrl ?? null, keyring }),
    ...createReplayActivity({ db: deps.db, http, keyring }),
  };
}
