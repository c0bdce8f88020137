import { CALENDAR_SIGNATURE_HEADER, calendarDeliverySchema, calendarNameSchema } from '../../../domain/catalog/calendar-webhook.ts';
import { arrayOf, inputSchema, object } from '../json-schema.ts';
import { ok, V1, type OperationSpec, type TagSpec } from '../operation.ts';

const acknowledged = ok('Kept (a redelivery is acknowledged and not processed again)', object({ ok: { type: 'boolean' }, duplicate: { type: 'boolean' } }));

/** A store platform's deliveries: signed over the raw body with the store's webhook secret, kept once by webhook id. */
const storeWebhook = (platform: string, headers: OperationSpec['headers']): OperationSpec => ({
  method: 'post',
  path: `/webhooks/${platform}/:storeId`,
  summary: `A ${platform === 'shopify' ? 'Shopify' : 'WooCommerce'} webhook delivery for one store`,
  description:
    'The raw body is verified before it is parsed; a malformed delivery is kept and answered 400.' +
    (platform === 'shopify'
      ? ' A Shopify app install is verified with the app\u2019s client secret, a pasted connection with the signing key its admin shows. `storeId` `compliance` takes the compliance topics the app\u2019s configuration sends (the shop named in X-Shopify-Shop-Domain).'
      : ''),
  auth: 'signed',
  headers,
  body: { type: 'object', description: "The platform's event payload, as the topic header names it" },
  success: acknowledged,
  problems: [400, 401, 404],
});

export const webhooksTag: TagSpec = {
  name: 'webhooks',
  description: 'Deliveries from store platforms and external calendars. No session: each is signed over the raw body.',
  operations: [
    storeWebhook('shopify', {
      'X-Shopify-Hmac-Sha256': { description: "base64 HMAC-SHA256 of the raw body with the app's client secret (app installs) or the admin's signing key" },
      'X-Shopify-Shop-Domain': { description: 'The shop; names the store on /webhooks/shopify/compliance', required: false },
      'X-Shopify-Topic': { description: 'e.g. orders/create' },
      'X-Shopify-Webhook-Id': { description: 'Deduplicates redeliveries', required: false },
      'X-Shopify-Event-Id': { description: 'The event, across webhooks', required: false },
      'X-Shopify-Triggered-At': { description: 'When the platform emitted it', required: false },
    }),
    storeWebhook('woocommerce', {
      'X-WC-Webhook-Signature': { description: 'base64 HMAC-SHA256 of the raw body with the store webhook secret' },
      'X-WC-Webhook-Topic': { description: 'e.g. order.created; absent on the unsigned ping `webhook_id=N`', required: false },
      'X-WC-Webhook-Delivery-Id': { description: 'Deduplicates redeliveries', required: false },
    }),
    {
      method: 'post',
      path: `${V1}/calendar_webhooks/:calendar`,
      summary: "External calendar busy time becomes provider blocks; a delivery applies once",
      auth: 'signed',
      params: { calendar: inputSchema(calendarNameSchema) },
      headers: { [CALENDAR_SIGNATURE_HEADER]: { description: 'hex HMAC-SHA256 of the raw body with the calendar webhook secret' } },
      body: calendarDeliverySchema,
      success: ok('Applied', object({ deliveryId: { type: 'string' }, duplicate: { type: 'boolean' }, applied: { type: 'integer' }, ignored: arrayOf({ type: 'string' }) })),
      problems: [400, 401],
    },
  ],
};
