import { backfillRequestSchema, newStoreSchema, stockThresholdSchema, storeChangesSchema } from '../../../domain/stores/store-input.ts';
import { callbackQuerySchema, installQuerySchema } from '../../../domain/stores/shopify-app.ts';
import { HOURLY_UP_TO_DAYS, MAX_HOURLY_DAYS, MAX_RANGE_DAYS, figureRangeQuerySchema } from '../../../domain/stores/figure-range.ts';
import { arrayOf, integerId, nullable, object, ref } from '../json-schema.ts';
import { accepted, created, noContent, ok, V1, type TagSpec } from '../operation.ts';
import { alertSettingsInputSchema } from '../../../domain/stores/alert-delivery.ts';

const STORES = `${V1}/orgs/:orgId/stores`;
const oneStore = ok('The store', object({ store: ref('Store') }));
const list = (name: string) => object({ [name]: arrayOf({ type: 'object' }) });
const alertSettings = ok(
  'The digest (`chosen` false while it is the default) and, per organization, how each alert kind reaches the person: `immediate`, `digest` or `none`',
  object({ digest: object({ hour: { type: 'integer' }, timezone: { type: 'string' }, chosen: { type: 'boolean' } }), organizations: arrayOf(object({ organizationId: integerId, name: { type: 'string' }, role: { type: 'string' }, deliveries: { type: 'object' } })) }),
);

/**
 * Every route takes an organization member or its API key; connecting, changing, removing,
 * backfilling, thresholds and the export need owner or admin (or the key).
 */
export const storesTag: TagSpec = {
  name: 'stores',
  description: "An organization's Shopify and WooCommerce stores: connection, live figures, orders, alerts, backfills.",
  operations: [
    { method: 'get', path: `${V1}/me/alert_settings`, summary: 'Which store alerts email me, and when my daily digest comes', auth: 'user', success: alertSettings },
    {
      method: 'put',
      path: `${V1}/me/alert_settings`,
      summary: 'Choose which store alerts email me (at once, in the digest, or not) and my digest\u2019s local hour',
      description: 'Only the caller\u2019s own settings, only for organizations they belong to (another is a 404). Kinds not given keep their choice. The app shows every alert whatever is chosen here.',
      auth: 'user',
      body: alertSettingsInputSchema,
      success: alertSettings,
      problems: [404],
    },
    { method: 'get', path: `${V1}/orgs/:orgId/store_plan`, summary: 'The store plan, its limits and usage', auth: 'member', success: ok('The plan', object({ plan: { type: 'string' }, limits: { type: 'object' }, stores: { type: 'integer' }, plans: { type: 'object' } })) },
    { method: 'get', path: STORES, summary: "The organization's stores", auth: 'member', success: ok('Stores', object({ stores: arrayOf(ref('Store')) })) },
    {
      method: 'post',
      path: STORES,
      summary: 'Connect a store with pasted credentials; a WooCommerce store\u2019s webhook secret is shown this once',
      description: 'A Shopify store takes its custom app\u2019s token and the webhook signing key its admin shows; a WooCommerce store gets a secret we generate (`webhookSecret`, WooCommerce only).',
      auth: 'member',
      body: newStoreSchema,
      success: created('The store and where to point its webhooks', { ...object({ store: ref('Store'), webhookUrl: { type: 'string' }, backfillDays: { type: 'integer' } }), properties: { store: ref('Store'), webhookSecret: { type: 'string' }, webhookUrl: { type: 'string' }, backfillDays: { type: 'integer' } } }),
      problems: [402, 409, 503],
    },
    {
      method: 'get',
      path: `${STORES}/shopify/install`,
      summary: 'Install the Shopify app on a shop: redirects to the shop\u2019s OAuth authorize page',
      description: 'From a signed-in browser session only (the OAuth state is bound to it). `apiBaseUrl` is honoured only where loopback targets are allowed (tests, the demo).',
      auth: 'member',
      query: installQuerySchema,
      success: { status: 302, description: 'To https://{shop}/admin/oauth/authorize' },
      problems: [503],
    },
    {
      method: 'get',
      path: `${V1}/stores/shopify/callback`,
      summary: 'Where Shopify sends the merchant back after approving the install',
      description: 'Checks the query\u2019s HMAC with the app\u2019s client secret, the state (this session\u2019s, unexpired, unused) and the shop; exchanges the code for an offline token, connects the store and starts its actor, which registers the webhooks and loads history.',
      auth: 'user',
      query: callbackQuerySchema,
      success: { status: 302, description: 'To the store\u2019s page in the web app' },
      problems: [400, 502, 503],
    },
    { method: 'get', path: `${STORES}/overview`, summary: 'Figures across stores, totals per currency', auth: 'member', success: ok('The overview', object({ stores: arrayOf({ type: 'object' }), totals: arrayOf({ type: 'object' }), recentOrders: arrayOf({ type: 'object' }), alerts: arrayOf({ type: 'object' }) })) },
    { method: 'get', path: `${STORES}/export`, summary: "All the organization's store data as a JSON download (GDPR)", auth: 'member', success: ok('The export (an attachment)', object({ organizationId: integerId, exportedAt: { type: 'string' }, stores: arrayOf({ type: 'object' }) })) },
    { method: 'get', path: `${STORES}/:storeId`, summary: 'One store', auth: 'member', success: oneStore },
    { method: 'patch', path: `${STORES}/:storeId`, summary: "Change a store's settings or credentials", auth: 'member', body: storeChangesSchema, success: oneStore },
    { method: 'delete', path: `${STORES}/:storeId`, summary: 'Remove a store and all its data; its actor stops', auth: 'member', success: noContent('Removed'), problems: [503] },
    { method: 'post', path: `${STORES}/:storeId/backfills`, summary: 'Ask for a backfill (capped by the plan)', auth: 'member', body: backfillRequestSchema, success: accepted('Asked', object({ requested: { type: 'boolean' }, days: { type: 'integer' } })), problems: [503] },
    { method: 'get', path: `${STORES}/:storeId/backfill`, summary: 'The latest backfill', auth: 'member', success: ok('The backfill', object({ backfill: nullable({ type: 'object' }) })) },
    { method: 'get', path: `${STORES}/:storeId/dashboard`, summary: 'Everything the store page shows', auth: 'member', success: ok('The dashboard', { type: 'object', required: ['store', 'figures', 'recentOrders', 'lowStock', 'alerts', 'backfill', 'health'] }) },
    {
      method: 'get',
      path: `${STORES}/:storeId/figures`,
      summary: 'Net sales, orders, average order and units over a date range, beside a comparison period, with a chart by hour or day',
      description:
        `\`from\` and \`to\` are days of the store's calendar (its timezone), both included, at most ${MAX_RANGE_DAYS} days apart. ` +
        '`compare`: `previous` (as many days just before, the default), `year` (the same days a year earlier) or `none`. ' +
        `\`bucket\` defaults to \`hour\` up to ${HOURLY_UP_TO_DAYS} days and \`day\` beyond; by hour a range is at most ${MAX_HOURLY_DAYS} days. ` +
        'Net sales are order totals (after discounts) less refunds, each refund on the day it was made; rejected orders never count. ' +
        'Hours are `YYYY-MM-DDTHH` of the store\'s clock, 24 a day (a DST gap is an empty hour, the repeated hour sums both).',
      auth: 'member',
      query: figureRangeQuerySchema,
      success: ok('The figures', { type: 'object', required: ['range', 'compare', 'comparisonRange', 'bucket', 'current', 'comparison', 'change', 'points'] }),
    },
    {
      method: 'get',
      path: `${STORES}/:storeId/orders`,
      summary: 'Recent orders, newest first (no customer details)',
      // The route clamps `limit` rather than validating it, so it is no validated parameter here.
      description: '`?limit=` (default 50) is clamped to 1–200.',
      auth: 'member',
      success: ok('Orders', list('orders')),
    },
    { method: 'get', path: `${STORES}/:storeId/orders.csv`, summary: "The store's orders as CSV (a download): totals, refunds, net sales, and why an order was not counted", auth: 'member', success: { status: 200, description: 'text/csv' } },
    { method: 'get', path: `${STORES}/:storeId/alerts`, summary: 'Alerts, newest first', auth: 'member', success: ok('Alerts', list('alerts')) },
    {
      method: 'put',
      path: `${STORES}/:storeId/stock_thresholds/:itemId`,
      summary: "One item's low-stock threshold",
      auth: 'member',
      params: { itemId: { type: 'string', maxLength: 100 } },
      body: stockThresholdSchema,
      success: ok('The threshold', object({ itemId: { type: 'string' }, threshold: { type: 'integer' } })),
    },
  ],
};
