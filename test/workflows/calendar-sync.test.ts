import { expect } from 'chai';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import { createCalendarActivities } from '../../activities/calendars/refresh-feeds.ts';
import { createOutboundClient, type OutboundClient } from '../../runtime/outbound-http.ts';
import { insertCalendarFeed } from '../../db/repositories/calendar-feeds.ts';
import { upsertProviderProfile } from '../../db/repositories/providers.ts';
import { keyringFromAppSecret, seal } from '../../domain/jobs/secret-box.ts';
import { calendarSyncStatusQuery, calendarWorkflowId, feedsChangedSignal } from '../../workflows/calendar-sync/definitions.ts';
import type { calendarSyncWorkflow } from '../../workflows/calendar-sync/workflow.ts';
import { createUser } from '../api/platform/helpers.ts';
import { testDb } from '../support/app.ts';
import { eventuallyPasses } from '../support/eventually.ts';
import { icsOf, startIcsServer, type IcsServer } from '../support/ics-server.ts';
import { timeSkippingEnv } from '../support/temporal.ts';

const TASK_QUEUE = 'calendar-sync-test';
const HOUR = 3_600_000;
const keyring = keyringFromAppSecret('calendar-sync-test');

describe('calendarSyncWorkflow (time skipping)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let http: OutboundClient;
  let ics: IcsServer;

  before(async () => {
    [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
    http = createOutboundClient({ allowLoopback: true });
    ics = await startIcsServer();
  });
  after(async () => {
    await http?.close();
    await ics?.close();
    await env?.teardown();
  });

  /** A provider in Berlin subscribed to the local feed, and the feed's blocks as the slot engine reads them. */
  async function subscribedProvider() {
    const provider = await createUser('provider', 'ics');
    await upsertProviderProfile(testDb(), provider.id, { timezone: 'Europe/Berlin', bio: '', responseSlaMinutes: 60 });
    const feed = await insertCalendarFeed(testDb(), provider.id, { urlSealed: seal(keyring, ics.url), urlHost: new URL(ics.url).host, label: 'Work' });
    const blocks = async () =>
      (await testDb()('availability_blocks').where({ provider_id: provider.id, source: 'external' }).orderByRaw('lower(during)').select(testDb().raw('lower(during) as start'), 'calendar')).map((b: { start: Date; calendar: string }) => [
        b.start.toISOString(),
        b.calendar,
      ]);
    return { providerId: provider.id, feedId: feed.id, blocks };
  }

  function runActor<T>(body: () => Promise<T>): Promise<T> {
    return Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: bundle,
      activities: createCalendarActivities({ db: testDb(), http, keyring: async () => keyring }),
    }).then((worker) => worker.runUntil(body));
  }

  const at = (hoursFromNow: number) => new Date(Math.floor(Date.now() / HOUR) * HOUR + hoursFromNow * HOUR);

  it('turns busy events into blocks, refreshes on its timer, and frees the time of a removed event', async () => {
    const { providerId, feedId, blocks } = await subscribedProvider();
    const [dentist, meeting] = [at(26), at(50)];
    ics.body = icsOf([['dentist', dentist, new Date(dentist.getTime() + HOUR)], ['meeting', meeting, new Date(meeting.getTime() + HOUR)]]);
    ics.status = 200;
    await runActor(async () => {
      const handle = await env.client.workflow.start<typeof calendarSyncWorkflow>('calendarSyncWorkflow', { workflowId: calendarWorkflowId(providerId), taskQueue: TASK_QUEUE, args: [{ providerId, refreshEveryMinutes: 15 }] });
      await eventuallyPasses(async () => expect(await blocks()).to.deep.equal([[dentist.toISOString(), `ics-${feedId}`], [meeting.toISOString(), `ics-${feedId}`]]));

      // The dentist is cancelled in the calendar: the next timed refresh frees that hour.
      ics.body = icsOf([['meeting', meeting, new Date(meeting.getTime() + HOUR)]]);
      await env.sleep('16 minutes');
      await eventuallyPasses(async () => expect(await blocks()).to.deep.equal([[meeting.toISOString(), `ics-${feedId}`]]));
      expect((await handle.query(calendarSyncStatusQuery)).refreshes).to.be.at.least(2);

      // Unsubscribed: the actor's next look finds no feed and ends.
      await testDb()('calendar_feeds').where({ id: feedId }).delete();
      await handle.signal(feedsChangedSignal);
      expect((await handle.result()).nextRefreshAt).to.equal(null);
    });
  });

  it('keeps the last blocks through failures, backs off 1, 2, 4 minutes, and recovers', async () => {
    const { providerId, feedId, blocks } = await subscribedProvider();
    const lesson = at(30);
    ics.body = icsOf([['lesson', lesson, new Date(lesson.getTime() + HOUR)]]);
    ics.status = 200;
    await runActor(async () => {
      const handle = await env.client.workflow.start<typeof calendarSyncWorkflow>('calendarSyncWorkflow', { workflowId: calendarWorkflowId(providerId), taskQueue: TASK_QUEUE, args: [{ providerId, refreshEveryMinutes: 15 }] });
      await eventuallyPasses(async () => expect(await blocks()).to.have.length(1));

      // The feed fails from its next timed refresh on: each failure waits twice as long as the one before.
      ics.status = 503;
      const status = () => handle.query(calendarSyncStatusQuery);
      const gap = (s: { lastRefreshAt: string | null; nextRefreshAt: string | null }) => Date.parse(s.nextRefreshAt!) - Date.parse(s.lastRefreshAt!);
      const gaps = new Map<number, number>();
      for (let i = 0; i < 60 && !gaps.has(3); i++) {
        await env.sleep('30 seconds');
        const now = await status();
        if (now.consecutiveFailures > 0) gaps.set(now.consecutiveFailures, gap(now));
      }
      expect([...gaps.entries()].slice(0, 3)).to.deep.equal([[1, 60_000], [2, 120_000], [3, 240_000]]);
      expect((await status()).lastErrors).to.deep.equal([{ feedId, error: 'the calendar answered HTTP 503' }]);
      expect((await testDb()('calendar_feeds').where({ id: feedId }).first('last_error')).last_error).to.equal('the calendar answered HTTP 503');
      expect(await blocks(), 'a failing feed keeps its busy time').to.have.length(1);

      ics.status = 200;
      await env.sleep('5 minutes');
      await eventuallyPasses(async () => expect((await status()).consecutiveFailures).to.equal(0));
      expect(gap(await status())).to.equal(15 * 60_000);
      expect((await testDb()('calendar_feeds').where({ id: feedId }).first('last_error')).last_error).to.equal(null);
      await handle.terminate('test over');
    });
  });
});
