import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { alertSettingsRoutes } from './alert-settings.ts';
import { orgAccessOf, requireOrgRole } from '../../auth/middleware.ts';
import { parseNumericId } from '../../../domain/identity/ids.ts';
import { figureRangeQuerySchema } from '../../../domain/stores/figure-range.ts';
import { backfillRequestSchema, newStoreSchema, stockThresholdSchema, storeChangesSchema } from '../../../domain/stores/store-input.ts';
import { STORE_PLAN_LIMITS, storeLimitsOf } from '../../../domain/stores/plans.ts';
import { seal } from '../../../domain/jobs/secret-box.ts';
import { countOrgStores, deleteStore, findOrgStore, listOrgStores, storePlanOf, storeView, updateStore, type NewStoreRow, type StoreRow } from '../../../db/repositories/stores.ts';
import { storeKeyring } from '../../../db/repositories/stores-keyring.ts';
import { setStockThreshold } from '../../../db/repositories/stores-stock.ts';
import { latestBackfill } from '../../../db/repositories/stores-backfills.ts';
import { listAlerts } from '../../../db/repositories/stores-alerts.ts';
import { recentOrders } from '../../../db/repositories/orders.ts';
import { backfillSignal, disconnectSignal, storeWorkflowId } from '../../../workflows/store-ingestion/definitions.ts';
import type { storeIngestionWorkflow } from '../../../workflows/store-ingestion/workflow.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import { requireTemporal } from '../../temporal.ts';
import { connectStore } from './connect-store.ts';
import { shopifyInstallRoutes } from './shopify-install.ts';
import { orgOverview, storeDashboard } from './dashboard.ts';
import { exportOrgStores } from './export.ts';
import { ordersCsv } from './orders-csv.ts';
import { rangeFigures } from './range-figures.ts';

const MANAGE = ['owner', 'admin'] as const;
const VIEW = ['owner', 'admin', 'member'] as const;

/** `/orgs/:orgId/stores…`: connect, configure, read and remove an organization's stores. */
export function storeRoutes(ctx: AppContext, onStoreRemoved: (storeId: number) => void = () => {}): Router {
  const router = Router();
  router.use(shopifyInstallRoutes(ctx));
  router.use(alertSettingsRoutes(ctx));
  const view = requireOrgRole(ctx, VIEW, { allowApiKey: true });
  const manage = requireOrgRole(ctx, MANAGE, { allowApiKey: true });

  async function storeOf(req: Parameters<typeof orgAccessOf>[0]): Promise<StoreRow> {
    const storeId = parseNumericId(req.params.storeId);
    const store = storeId === null ? null : await findOrgStore(ctx.db, orgAccessOf(req).organizationId, storeId);
    if (!store) throw notFound('No such store.');
    return store;
  }

  router.get('/orgs/:orgId/store_plan', view, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const plan = await storePlanOf(ctx.db, organizationId);
    res.json({ plan, limits: storeLimitsOf(plan), stores: await countOrgStores(ctx.db, organizationId), plans: STORE_PLAN_LIMITS });
  });

  router.get('/orgs/:orgId/stores', view, async (req, res) => {
    res.json({ stores: (await listOrgStores(ctx.db, orgAccessOf(req).organizationId)).map(storeView) });
  });

  router.post('/orgs/:orgId/stores', manage, async (req, res) => {
    const input = newStoreSchema.parse(req.body);
    const { store, webhookSecret, backfillDays } = await connectStore(ctx, orgAccessOf(req).organizationId, input);
    const base = ctx.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
    res.status(201).json({ store: storeView(store), ...(webhookSecret ? { webhookSecret } : {}), webhookUrl: `${base}/webhooks/${store.platform}/${store.id}`, backfillDays });
  });

  router.get('/orgs/:orgId/stores/overview', view, async (req, res) => {
    res.json(await orgOverview(ctx, orgAccessOf(req).organizationId));
  });

  router.get('/orgs/:orgId/stores/export', manage, async (req, res) => {
    const organizationId = orgAccessOf(req).organizationId;
    res.attachment(`stores-org-${organizationId}.json`).json(await exportOrgStores(ctx.db, organizationId));
  });

  router.get('/orgs/:orgId/stores/:storeId', view, async (req, res) => {
    res.json({ store: storeView(await storeOf(req)) });
  });

  router.patch('/orgs/:orgId/stores/:storeId', manage, async (req, res) => {
    const store = await storeOf(req);
    const changes = storeChangesSchema.parse(req.body);
    const credentialsGiven = changes.accessToken !== undefined || changes.consumerKey !== undefined || changes.consumerSecret !== undefined;
    const row: Partial<NewStoreRow> = {
      name: changes.name,
      timezone: changes.timezone,
      high_value_threshold_minor: changes.highValueThresholdMinor,
      low_stock_threshold: changes.lowStockThreshold,
      revenue_drop_percent: changes.revenueDropPercent,
    };
    if (credentialsGiven) {
      const credentials = store.platform === 'shopify' ? { accessToken: changes.accessToken } : { consumerKey: changes.consumerKey, consumerSecret: changes.consumerSecret };
      if (Object.values(credentials).some((v) => v === undefined) || (store.platform === 'shopify') !== (changes.accessToken !== undefined)) {
        throw badRequest(store.platform === 'shopify' ? 'A Shopify store takes accessToken.' : 'A WooCommerce store takes consumerKey and consumerSecret together.');
      }
      row.credentials_sealed = seal(await storeKeyring(ctx.db, ctx.config), JSON.stringify(credentials));
    }
    res.json({ store: storeView((await updateStore(ctx.db, store.id, row))!) });
  });

  router.delete('/orgs/:orgId/stores/:storeId', manage, async (req, res) => {
    const store = await storeOf(req);
    await deleteStore(ctx.db, store.id);
    onStoreRemoved(store.id);
    // The actor finds the store gone on its next step anyway; the signal ends it now (the store is
    // gone already, so a workflow service that is down is no reason to answer 503).
    if (ctx.temporal?.reachable()) await ctx.temporal.client.workflow.getHandle(storeWorkflowId(store.id)).signal(disconnectSignal).catch(() => undefined);
    res.status(204).end();
  });

  router.post('/orgs/:orgId/stores/:storeId/backfills', manage, async (req, res) => {
    const store = await storeOf(req);
    const { days } = backfillRequestSchema.parse(req.body ?? {});
    const limit = storeLimitsOf(await storePlanOf(ctx.db, store.organization_id)).historyDays;
    const temporal = requireTemporal(ctx);
    await temporal.client.workflow.signalWithStart<typeof storeIngestionWorkflow, [{ days: number }]>('storeIngestionWorkflow', {
      workflowId: storeWorkflowId(store.id),
      taskQueue: temporal.taskQueue,
      args: [{ storeId: store.id }],
      signal: backfillSignal,
      signalArgs: [{ days: Math.min(days ?? limit, limit) }],
    });
    res.status(202).json({ requested: true, days: Math.min(days ?? limit, limit) });
  });

  router.get('/orgs/:orgId/stores/:storeId/backfill', view, async (req, res) => {
    res.json({ backfill: await latestBackfill(ctx.db, (await storeOf(req)).id) });
  });

  router.get('/orgs/:orgId/stores/:storeId/dashboard', view, async (req, res) => {
    res.json(await storeDashboard(ctx, await storeOf(req)));
  });

  router.get('/orgs/:orgId/stores/:storeId/figures', view, async (req, res) => {
    const store = await storeOf(req);
    res.json(await rangeFigures(ctx.db, store, figureRangeQuerySchema.parse(req.query)));
  });

  router.get('/orgs/:orgId/stores/:storeId/orders', view, async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit) || 50, 1), 200);
    res.json({ orders: await recentOrders(ctx.db, [(await storeOf(req)).id], limit) });
  });

  router.get('/orgs/:orgId/stores/:storeId/orders.csv', view, async (req, res) => {
    const store = await storeOf(req);
    res.type('text/csv').attachment(`orders-store-${store.id}.csv`).send(await ordersCsv(ctx.db, store.id));
  });

  router.get('/orgs/:orgId/stores/:storeId/alerts', view, async (req, res) => {
    res.json({ alerts: await listAlerts(ctx.db, [(await storeOf(req)).id], 100) });
  });

  router.put('/orgs/:orgId/stores/:storeId/stock_thresholds/:itemId', manage, async (req, res) => {
    const store = await storeOf(req);
    const { threshold } = stockThresholdSchema.parse(req.body);
    const itemId = String(req.params.itemId).slice(0, 100);
    await setStockThreshold(ctx.db, store.id, itemId, threshold);
    res.json({ itemId, threshold });
  });

  return router;
}
