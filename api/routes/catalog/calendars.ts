import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import type { calendarSyncWorkflow } from '../../../workflows/calendar-sync/workflow.ts';
import { calendarWorkflowId, feedsChangedSignal, refreshNowSignal } from '../../../workflows/calendar-sync/definitions.ts';
import { calendarFeedInputSchema, MAX_FEEDS_PER_PROVIDER } from '../../../domain/calendar/feed-input.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { seal } from '../../../domain/jobs/secret-box.ts';
import { checkUrl } from '../../../domain/net/outbound-guard.ts';
import { countCalendarFeeds, deleteCalendarFeed, findCalendarFeed, insertCalendarFeed, listCalendarFeeds } from '../../../db/repositories/calendar-feeds.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { conflict, notFound, Problem } from '../../http/problem.ts';
import { requireTemporal } from '../../temporal.ts';
import { currentProviderProfile } from './viewer.ts';

/**
 * A provider's iCalendar feeds. The rows are written here; reading the feeds is the provider's
 * calendar actor's (`calendar-<providerId>`), told by signal, started by the first feed.
 */
export function calendarFeedRoutes(ctx: AppContext): Router {
  const router = Router();

  async function tellActor(providerId: number, signal: typeof feedsChangedSignal | typeof refreshNowSignal): Promise<void> {
    const temporal = requireTemporal(ctx);
    await temporal.client.workflow.signalWithStart<typeof calendarSyncWorkflow, []>('calendarSyncWorkflow', {
      workflowId: calendarWorkflowId(providerId),
      taskQueue: temporal.taskQueue,
      args: [{ providerId }],
      signal,
    });
  }

  router.get('/providers/me/calendars', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    res.json({ items: await listCalendarFeeds(ctx.db, profile.id) });
  });

  router.post('/providers/me/calendars', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const input = calendarFeedInputSchema.parse(req.body);
    const target = checkUrl(input.url, { allowLoopback: ctx.config.ALLOW_LOOPBACK_TARGETS });
    if (!target.ok) throw new Problem(422, 'validation', 'Invalid input', `url: ${target.reason}`, { errors: [{ path: 'url', message: target.reason }] });
    // Without the workflow service the feed would never be read: refuse before keeping it.
    requireTemporal(ctx);
    if ((await countCalendarFeeds(ctx.db, profile.id)) >= MAX_FEEDS_PER_PROVIDER) throw conflict(`You can subscribe to at most ${MAX_FEEDS_PER_PROVIDER} calendars; remove one first.`, { reason: 'too-many-feeds' });
    const keyring = await storeKeyring(ctx.db, ctx.config);
    const feed = await insertCalendarFeed(ctx.db, profile.id, { urlSealed: seal(keyring, input.url), urlHost: new URL(input.url).host, label: input.label });
    await tellActor(profile.id, feedsChangedSignal);
    res.status(201).json(feed);
  });

  router.delete('/providers/me/calendars/:id', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const id = parseNumericId(req.params.id);
    if (id === null || !(await deleteCalendarFeed(ctx.db, profile.id, id))) throw notFound('No such calendar of yours.');
    await tellActor(profile.id, feedsChangedSignal);
    res.status(204).end();
  });

  router.post('/providers/me/calendars/:id/refresh', async (req, res) => {
    const profile = await currentProviderProfile(ctx, req);
    const id = parseNumericId(req.params.id);
    const feed = id === null ? undefined : await findCalendarFeed(ctx.db, profile.id, id);
    if (!feed) throw notFound('No such calendar of yours.');
    await tellActor(profile.id, refreshNowSignal);
    res.status(202).json(feed);
  });

  return router;
}
