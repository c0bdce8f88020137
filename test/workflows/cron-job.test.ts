import { expect } from 'chai';
import type { temporal } from '@temporalio/proto';
import { ApplicationFailure } from '@temporalio/common';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import type { AttemptRequest, AttemptResult, FireWindow, FireWindowResult, JobActivities, JobNotification, RunOutcome, UnrunFire } from '../../activities/jobs/types.ts';
import {
  cronJobStateQuery,
  definitionChangedSignal,
  deleteSignal,
  pauseSignal,
  resumeSignal,
  triggerNowSignal,
  type CronJobDefinition,
  type CronJobSnapshot,
} from '../../workflows/cron-job/definitions.ts';
import type { cronJobWorkflow } from '../../workflows/cron-job/workflow.ts';
import { nextRuns } from '../../domain/cron/next-runs.ts';
import { cronDefinition } from '../support/cron-definition.ts';
import { planFires } from '../../activities/jobs/plan-fires.ts';
import { timeSkippingEnv } from '../support/temporal.ts';
import { windowThrough } from '../support/fire-window.ts';
import { eventually } from '../support/eventually.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TASK_QUEUE = 'cron-job-test';

type Outcome = AttemptResult['outcome'];

/**
 * The actor against recording activities: what it asks to run, and when. The activities
 * themselves (HTTP, rows, usage) have their own tests against PostgreSQL and a local receiver.
 */
describe('cronJobWorkflow (time skipping)', function () {
  this.timeout(300_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let counter = 0;

  let attempts: AttemptRequest[];
  let pending: AttemptRequest[];
  let unrun: UnrunFire[];
  let finished: RunOutcome[];
  let notified: JobNotification[];
  let respond: (request: AttemptRequest) => { outcome: Outcome; retryAfter?: string };
  let loaded: { definition: CronJobDefinition; cursor: string; consecutiveFailures: number } | null;
  let streak: number;
  /** The scheduled times of each window handed over. */
  let windows: string[][];
  /** What a window answers instead of sending its fires, when it answers anything. */
  let windowAnswer: ((window: FireWindow) => Promise<FireWindowResult | null>) | null;

  const runJobAttempt: JobActivities['runJobAttempt'] = async (request) => {
    attempts.push(request);
    const { outcome, retryAfter } = respond(request);
    return { outcome, executionId: attempts.length, statusCode: null, retryAfter: retryAfter ?? null, error: outcome === 'success' ? null : 'HTTP 500' };
  };
  const sendWindow = windowThrough(runJobAttempt);
  const activities: JobActivities = {
    planFires,
    async loadCronJob() {
      return loaded;
    },
    runJobAttempt,
    async runJobWindow(window) {
      windows.push(window.fires.map((f) => f.scheduledFor));
      return (await windowAnswer?.(window)) ?? sendWindow(window);
    },
    async interruptJobWindow() {},
    async recordPendingAttempt(request) {
      pending.push(request);
    },
    async recordUnrunFires({ fires }) {
      unrun.push(...fires);
    },
    // The streak as the database keeps it (finish-run.ts), so the actor's reaction can be checked.
    async finishJobRun(outcome) {
      finished.push(outcome);
      const before = streak;
      streak = outcome.succeeded ? 0 : streak + 1;
      const disabled = !outcome.succeeded && streak >= loaded!.definition.disableAfterFailures;
      return { consecutiveFailures: streak, disabled, notify: disabled ? 'disabled' : outcome.succeeded ? (before ? 'recovery' : null) : streak === 1 ? 'failure' : null };
    },
    async notifyJobOwners(notification) {
      notified.push(notification);
    },
  };

  before(async () => {
    [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  });
  after(() => env?.teardown());
  beforeEach(() => {
    attempts = [];
    pending = [];
    unrun = [];
    finished = [];
    notified = [];
    streak = 0;
    windows = [];
    windowAnswer = null;
    respond = () => ({ outcome: 'success' });
  });

  const definition = cronDefinition;

  /** Starts an actor whose job was last handled at `cursor` (default: now in the test server's clock). */
  async function withActor<T>(
    overrides: Partial<CronJobDefinition>,
    body: (handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof cronJobWorkflow>>>, startedAt: number) => Promise<T>,
    cursor?: number,
  ): Promise<T> {
    counter += 1;
    const jobId = 1000 + counter;
    const startedAt = await env.currentTimeMs();
    loaded = { definition: definition(jobId, overrides), cursor: new Date(cursor ?? startedAt).toISOString(), consecutiveFailures: 0 };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof cronJobWorkflow>('cronJobWorkflow', {
        workflowId: `cron-job-test-${counter}-${startedAt}`,
        taskQueue: TASK_QUEUE,
        args: [{ jobId }],
      });
      try {
        return await body(handle, startedAt);
      } finally {
        await handle.terminate('test over').catch(() => undefined);
      }
    });
  }

  /** The events of every run of the actor, from `runId` along its continue-as-new chain. */
  async function historiesOf(workflowId: string, runId: string) {
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    for (let run: string | undefined = runId; run; ) {
      const history: temporal.api.history.v1.IHistoryEvent[] = (await env.client.workflow.getHandle(workflowId, run).fetchHistory()).events ?? [];
      events.push(...history);
      run = history.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    return events;
  }

  const iso = (ms: number) => new Date(ms).toISOString();
  /** Whole seconds between consecutive attempts' times (a retry waits from when the failed attempt ended). */
  const roundedGaps = (list: AttemptRequest[]) => list.slice(1).map((a, i) => Math.floor((Date.parse(a.scheduledFor) - Date.parse(list[i].scheduledFor)) / 1000));

  /** A query until the actor's state satisfies `check` (a signal is handled in the actor's next workflow task). */
  async function stateWhen(handle: { query: (q: typeof cronJobStateQuery) => Promise<CronJobSnapshot> }, check: (state: CronJobSnapshot) => boolean): Promise<CronJobSnapshot> {
    let state = await handle.query(cronJobStateQuery);
    for (let i = 0; i < 100 && !check(state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await handle.query(cronJobStateQuery);
    }
    return state;
  }

  it('fires a */15 job on every quarter hour of a simulated week: 672 runs, each at its instant', async () => {
    await withActor({}, async (handle, startedAt) => {
      const expected = nextRuns({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, new Date(startedAt), 672).map((d) => d.toISOString());
      // To a minute past the 672nd fire: a sleep of exactly 7 days, begun a moment after the actor
      // started, also reaches the 673rd when the actor started within that moment of a quarter hour.
      await env.sleep(Date.parse(expected.at(-1)!) - startedAt + MINUTE);
      await eventually(() => attempts.length >= 672, 'all 672 fires ran');
      // The recording window sends its fires at once (time is skipped): the last window handed over
      // may hold a few fires after the 672nd (it ends at the job's own minute of the hour).
      const ran = attempts.map((a) => a.scheduledFor);
      expect(ran.length).to.be.within(672, 675);
      expect(ran.slice(0, 672)).to.deep.equal(expected);
      expect(ran).to.deep.equal(nextRuns({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, new Date(startedAt), ran.length).map((d) => d.toISOString()));
      expect(attempts.every((a) => a.attempt === 1 && a.trigger === 'schedule')).to.equal(true);
      expect(new Set(attempts.map((a) => a.runId)).size).to.equal(ran.length);
      expect(unrun).to.deep.equal([]);
      // It continued as new along the way (every 100 runs) and is still scheduled.
      const state = await stateWhen(handle, (s) => s.current === null);
      expect(state.phase).to.equal('scheduled');
      expect(state.runsSinceContinueAsNew).to.be.below(100);
      expect(state.nextRuns[0]).to.equal(nextRuns({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, new Date(ran.at(-1)!), 1)[0].toISOString());
    });
  });

  it('retries a 5xx with the job’s backoff, honouring Retry-After, each attempt announced as pending first', async () => {
    respond = (request) => (request.attempt === 1 ? { outcome: 'retry' } : request.attempt === 2 ? { outcome: 'retry', retryAfter: '120' } : { outcome: 'success' });
    await withActor({ retry: { attempts: 4, initialMs: 10_000, backoffCoefficient: 2, maxMs: HOUR } }, async (handle, startedAt) => {
      const fire = nextRuns({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, new Date(startedAt), 1)[0].getTime();
      await env.sleep(fire - startedAt + 5 * MINUTE);
      await eventually(() => attempts.length >= 3, 'three attempts');
      expect(attempts.map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
      expect(attempts[0].scheduledFor).to.equal(iso(fire));
      // Each delay counts from the end of the failed attempt; Retry-After 120 s outweighs the 20 s backoff.
      expect(roundedGaps(attempts)).to.deep.equal([10, 120]);
      expect(new Set(attempts.map((a) => a.runId)).size).to.equal(1);
      expect(pending.map((p) => p.attempt)).to.deep.equal([2, 3]);
      // A success with no failure streak needs no bookkeeping and tells nobody.
      expect(finished).to.deep.equal([]);
      expect(notified).to.deep.equal([]);
      expect((await handle.query(cronJobStateQuery)).phase).to.equal('scheduled');
    });
  });

  it('does not retry a 4xx, counts the failed run and notifies once per streak, then on recovery', async () => {
    respond = (request) => ({ outcome: attempts.filter((a) => a.attempt === 1).length <= 2 && request.attempt === 1 ? 'fail_now' : 'success' });
    await withActor({}, async () => {
      await env.sleep(46 * MINUTE);
      await eventually(() => finished.length >= 3, 'three runs settled');
      expect(attempts.map((a) => a.attempt)).to.deep.equal([1, 1, 1]);
      expect(pending).to.deep.equal([]);
      expect(finished.map((f) => f.succeeded)).to.deep.equal([false, false, true]);
      expect(notified.map((n) => n.kind)).to.deep.equal(['failure', 'recovery']);
    });
  });

  it('disables itself after N failed runs in a row and says so', async () => {
    respond = () => ({ outcome: 'fail_now' });
    await withActor({ disableAfterFailures: 3 }, async (handle) => {
      await env.sleep(2 * HOUR);
      await eventually(() => notified.length >= 2, 'failure and disabled notices');
      expect(attempts).to.have.length(3);
      expect(notified.map((n) => [n.kind, n.consecutiveFailures])).to.deep.equal([
        ['failure', 1],
        ['disabled', 3],
      ]);
      const state = await stateWhen(handle, (s) => s.phase === 'paused');
      expect(state.phase).to.equal('paused');
      expect(state.nextRuns).to.deep.equal([]);
    });
  });

  it('pauses and resumes: no fire while paused, none recorded as missed, the schedule picks up again', async () => {
    await withActor({}, async (handle) => {
      await handle.signal(pauseSignal, { revision: 2 });
      expect((await stateWhen(handle, (s) => s.phase === 'paused')).phase).to.equal('paused');
      await env.sleep(2 * HOUR);
      expect(attempts).to.deep.equal([]);
      await handle.signal(resumeSignal, { revision: 3 });
      const resumedAt = await env.currentTimeMs();
      const state = await stateWhen(handle, (s) => s.phase === 'scheduled');
      expect(state.phase).to.equal('scheduled');
      expect(state.revision).to.equal(3);
      await env.sleep(31 * MINUTE);
      await eventually(() => attempts.length >= 2, 'two fires after resuming');
      expect(attempts.every((a) => new Date(a.scheduledFor).getTime() > resumedAt)).to.equal(true);
      expect(unrun).to.deep.equal([]);
    });
  });

  it('follows a changed definition at once and ignores a stale one', async () => {
    await withActor({}, async (handle, startedAt) => {
      const hourly: CronJobDefinition = { ...definition(0), ...loaded!.definition, revision: 2, schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' } };
      await handle.signal(definitionChangedSignal, hourly);
      await handle.signal(definitionChangedSignal, { ...hourly, revision: 1, schedule: { kind: 'cron', expression: '* * * * *', timezone: 'UTC' } });
      const state = await stateWhen(handle, (s) => s.revision === 2 && s.nextRuns.length === 5);
      const expected = nextRuns(hourly.schedule, new Date(startedAt), 5).map((d) => d.toISOString());
      expect(state.revision).to.equal(2);
      expect(state.nextRuns).to.deep.equal(expected);
      await env.sleep(2 * HOUR + MINUTE);
      await eventually(() => attempts.length >= 2, 'two hourly fires');
      expect(attempts.map((a) => a.scheduledFor)).to.deep.equal(expected.slice(0, 2));
    });
  });

  it('runs at once when triggered, with the caller’s run id, outside the schedule', async () => {
    await withActor({ enabled: false }, async (handle, startedAt) => {
      await handle.signal(triggerNowSignal, { runId: 'manual-run-1' });
      await eventually(() => attempts.length === 1, 'the triggered run');
      expect(attempts[0]).to.include({ runId: 'manual-run-1', trigger: 'manual', attempt: 1 });
      expect(new Date(attempts[0].scheduledFor).getTime() - startedAt).to.be.below(MINUTE);
      // A paused job runs when triggered, but its schedule stays off.
      expect((await stateWhen(handle, (s) => s.phase === 'paused')).phase).to.equal('paused');
    });
  });

  it('runs a one-time job once at its instant, then has nothing ahead', async () => {
    const startedAt = await env.currentTimeMs();
    const at = new Date(startedAt + 3 * HOUR + 123).toISOString();
    await withActor({ schedule: { kind: 'once', at } }, async (handle) => {
      expect((await stateWhen(handle, (s) => s.nextRuns.length > 0)).nextRuns).to.deep.equal([at]);
      await env.sleep(5 * HOUR);
      await eventually(() => attempts.length === 1, 'one run');
      expect(attempts[0].scheduledFor).to.equal(at);
      const state = await stateWhen(handle, (s) => s.phase === 'completed');
      expect(state.phase).to.equal('completed');
      expect(state.nextRuns).to.deep.equal([]);
    });
  });

  it('runs a one-time job saved after its time with runIfPast once, at once, as a catch-up; without it, never', async () => {
    const at = '2020-01-01T00:00:00.000Z';
    // Where loadCronJob starts such a job that never fired: just before its time.
    await withActor({ schedule: { kind: 'once', at, runIfPast: true } }, async (handle) => {
      await eventually(() => attempts.length === 1, 'the late run');
      expect(attempts[0]).to.include({ scheduledFor: at, trigger: 'catch_up', attempt: 1 });
      await env.sleep(2 * 24 * HOUR);
      expect((await stateWhen(handle, (s) => s.phase === 'completed')).phase).to.equal('completed');
      expect(attempts).to.have.length(1);
      expect(unrun).to.deep.equal([]);
    }, Date.parse(at) - 1);

    attempts = [];
    await withActor({ schedule: { kind: 'once', at } }, async (handle) => {
      expect((await stateWhen(handle, (s) => s.phase === 'completed')).phase).to.equal('completed');
      await env.sleep(HOUR);
      expect(attempts).to.deep.equal([]);
    });
  });

  it('runs a one-time job moved to a past time with runIfPast once, when the change arrives', async () => {
    await withActor({}, async (handle) => {
      const at = new Date((await env.currentTimeMs()) - 2 * HOUR).toISOString();
      await handle.signal(definitionChangedSignal, { ...loaded!.definition, revision: 2, schedule: { kind: 'once', at, runIfPast: true } });
      await eventually(() => attempts.length === 1, 'the late run');
      expect(attempts[0]).to.include({ scheduledFor: at, trigger: 'catch_up' });
      // The same definition again (a rename) does not run it a second time.
      await handle.signal(definitionChangedSignal, { ...loaded!.definition, revision: 3, schedule: { kind: 'once', at, runIfPast: true } });
      await env.sleep(HOUR);
      expect(attempts).to.have.length(1);
    });
  });

  it('catches up after downtime by running the latest missed fire once and recording the others as missed', async () => {
    const now = await env.currentTimeMs();
    await withActor(
      {},
      async () => {
        await eventually(() => attempts.length === 1 && unrun.length === 3, 'one catch-up run and three missed');
        const missed = nextRuns({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, new Date(now - HOUR - 1), 4).map((d) => d.toISOString());
        expect(attempts[0]).to.include({ trigger: 'catch_up', scheduledFor: missed[3] });
        expect(unrun.map((u) => [u.status, u.scheduledFor])).to.deep.equal(missed.slice(0, 3).map((at) => ['missed', at]));
      },
      now - HOUR - 1,
    );
  });

  it('with catch-up "skip" runs none of the missed fires, but records every one', async () => {
    const now = await env.currentTimeMs();
    await withActor(
      { catchUpPolicy: 'skip' },
      async () => {
        await eventually(() => unrun.length === 4, 'four missed');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(attempts).to.deep.equal([]);
        expect(unrun.every((u) => u.status === 'missed' && /skips/.test(u.reason))).to.equal(true);
      },
      now - HOUR - 1,
    );
  });

  it('skips a fire that comes while a run is still retrying (overlap "skip"), and records it', async () => {
    respond = (request) => ({ outcome: request.attempt < 2 ? 'retry' : 'success' });
    await withActor({ schedule: { kind: 'cron', expression: '* * * * *', timezone: 'UTC' }, retry: { attempts: 2, initialMs: 90_000, backoffCoefficient: 1, maxMs: 90_000 } }, async () => {
      await env.sleep(3 * MINUTE);
      await eventually(() => unrun.length >= 1 && attempts.length >= 2, 'a skipped fire and the retry');
      expect(unrun[0]).to.include({ status: 'skipped' });
      expect(new Date(unrun[0].scheduledFor).getTime()).to.equal(new Date(attempts[0].scheduledFor).getTime() + MINUTE);
    });
  });

  it('queues a fire that comes while a run is still retrying (overlap "queue"), and runs it next', async () => {
    respond = () => ({ outcome: attempts.length === 1 ? 'retry' : 'success' });
    await withActor({ overlapPolicy: 'queue', schedule: { kind: 'cron', expression: '* * * * *', timezone: 'UTC' }, retry: { attempts: 2, initialMs: 90_000, backoffCoefficient: 1, maxMs: 90_000 } }, async () => {
      await env.sleep(3 * MINUTE);
      await eventually(() => attempts.length >= 3, 'the retry and the queued run');
      expect(unrun).to.deep.equal([]);
      const first = new Date(attempts[0].scheduledFor).getTime();
      expect(attempts.slice(0, 3).map((a) => [a.attempt, a.trigger])).to.deep.equal([
        [1, 'schedule'],
        [2, 'schedule'],
        [1, 'schedule'],
      ]);
      expect(roundedGaps(attempts.slice(0, 2))).to.deep.equal([90]);
      expect(attempts[2].scheduledFor).to.equal(iso(first + MINUTE));
    });
  });

  it('hands a busy job’s fires over a minute at a time: each fire once and in order, one window per minute', async () => {
    const schedule = { kind: 'cron' as const, expression: '*/10 * * * * *', timezone: 'UTC' };
    await withActor({ schedule }, async (_handle, startedAt) => {
      const expected = nextRuns(schedule, new Date(startedAt), 30).map((d) => d.toISOString());
      await env.sleep(Date.parse(expected.at(-1)!) - (await env.currentTimeMs()) + 1000);
      await eventually(() => attempts.length >= 30, 'thirty fires');
      expect(attempts.slice(0, 30).map((a) => a.scheduledFor)).to.deep.equal(expected);
      expect(new Set(attempts.map((a) => a.runId)).size).to.equal(attempts.length);
      expect(windows.length).to.be.within(5, 6);
      for (const fires of windows) expect(Date.parse(fires.at(-1)!) - Date.parse(fires[0])).to.be.below(MINUTE);
    });
  });

  it('hands a minutely job’s windows over an hour at a time, each ending before the job’s own minute of the hour', async () => {
    // As the real scheduler does, a window completes after its last fire, not at once.
    windowAnswer = async (window) => {
      const wait = Date.parse(window.fires.at(-1)!.scheduledFor) - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);
      return null;
    };
    await withActor({ schedule: { kind: 'cron', expression: '* * * * *', timezone: 'UTC' } }, async (handle) => {
      const ownMinute = (1000 + counter) % 60;
      await env.sleep(3 * HOUR);
      await eventually(() => windows.length >= 3, 'three windows');
      // The first ends early (at the job's minute); the hours after it begin there: jobs hand over in the minute of their own.
      for (const fires of windows.slice(1, 3)) {
        expect(fires).to.have.length(60);
        expect(new Date(fires[0]).getUTCMinutes()).to.equal(ownMinute);
      }
      expect(new Date(windows[0].at(-1)!).getUTCMinutes()).to.equal((ownMinute + 59) % 60);
      const sent = attempts.map((a) => a.scheduledFor);
      expect(new Set(sent).size).to.equal(sent.length);
      // Each next window goes out in the task its predecessor's completion (or a new run) brought: no timer wakes
      // the actor for it. Only the first may wait on one (when the job was made more than 30 s before a minute).
      const events = await historiesOf(handle.workflowId, handle.firstExecutionRunId);
      expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runJobWindow').length).to.be.at.least(3);
      expect(events.filter((e) => e.timerStartedEventAttributes).length).to.be.at.most(1);
    });
  });

  it('gives a failing busy job one fire at a time, until a success ends the streak and says so', async () => {
    respond = () => ({ outcome: attempts.length <= 2 ? 'fail_now' : 'success' });
    await withActor({ schedule: { kind: 'cron', expression: '*/10 * * * * *', timezone: 'UTC' } }, async () => {
      await env.sleep(3 * MINUTE);
      await eventually(() => finished.length >= 3 && windows.length >= 4, 'two failed runs, a recovery and the window after it');
      expect(windows.slice(0, 4).map((w) => w.length)).to.deep.equal([6, 1, 1, 6]);
      expect(finished.map((f) => f.succeeded)).to.deep.equal([false, false, true]);
      expect(notified.map((n) => n.kind)).to.deep.equal(['failure', 'recovery']);
    });
  });

  it('hands over again the fires a window did not get to (cancelled before them), instead of finding them missed later', async () => {
    const schedule = { kind: 'cron' as const, expression: '*/10 * * * * *', timezone: 'UTC' };
    windowAnswer = async () => (windows.length === 1 ? { handled: 0, last: null, changedRevision: null } : null);
    await withActor({ schedule }, async () => {
      await env.sleep(30_000);
      await eventually(() => windows.length >= 2 && attempts.length > 0, 'the fires handed over again');
      expect(windows[1][0]).to.equal(windows[0][0]);
      expect(attempts[0].scheduledFor).to.equal(windows[0][0]);
      expect(unrun).to.deep.equal([]);
    });
  });

  it('reloads the job when a window finds it changed and no signal said so (lost while the scheduler was away)', async () => {
    const schedule = { kind: 'cron' as const, expression: '*/10 * * * * *', timezone: 'UTC' };
    await withActor({ schedule }, async (handle) => {
      // Paused in the database (revision 2); the pause signal never came.
      windowAnswer = async () => {
        loaded = { ...loaded!, definition: { ...loaded!.definition, enabled: false, revision: 2 } };
        return { handled: 0, last: null, changedRevision: 2 };
      };
      await env.sleep(15_000);
      const state = await stateWhen(handle, (s) => s.revision === 2);
      expect(state).to.include({ phase: 'paused', revision: 2 });
      expect(windows).to.have.length(1);
      expect(attempts).to.deep.equal([]);
    });
  });

  it('takes the cursor from the database when a window failed for good, and catches up from there', async () => {
    const schedule = { kind: 'cron' as const, expression: '*/10 * * * * *', timezone: 'UTC' };
    await withActor({ schedule }, async () => {
      // The worker died again and again, after the window's first two fires had begun.
      windowAnswer = async (window) => {
        if (windows.length > 1) return null;
        loaded = { ...loaded!, cursor: window.fires[1].scheduledFor };
        throw ApplicationFailure.nonRetryable('worker lost');
      };
      await env.sleep(2 * MINUTE);
      await eventually(() => windows.length >= 2, 'a window after the failed one');
      const [failed] = windows;
      // The two begun fires are not caught up again (nor recorded missed); the next one is handled.
      const handled = [...unrun.map((u) => u.scheduledFor), ...attempts.map((a) => a.scheduledFor)];
      expect(handled.filter((at) => failed.slice(0, 2).includes(at))).to.deep.equal([]);
      expect(handled).to.include(failed[2]);
    });
  });

  it('stops for good when the job is deleted', async () => {
    await withActor({}, async (handle) => {
      await handle.signal(deleteSignal);
      await handle.result();
      await env.sleep(HOUR);
      expect(attempts).to.deep.equal([]);
    });
  });
});
