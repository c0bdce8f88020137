import { billingEventSchema } from '../../../domain/jobs/billing-event.ts';
import { object } from '../json-schema.ts';
import { ok, V1, type TagSpec } from '../operation.ts';

export const billingTag: TagSpec = {
  name: 'billing',
  description: "Billing providers' subscription webhooks, signed over the raw body: Lemon Squeezy sets the jobs plan, Stripe the store plan.",
  operations: [
    {
      method: 'post',
      path: `${V1}/billing/lemonsqueezy`,
      summary: 'Lemon Squeezy subscription event: switches the organization between free and pro',
      auth: 'signed',
      headers: { 'X-Signature': { description: 'hex HMAC-SHA256 of the raw body with the webhook secret' } },
      body: billingEventSchema,
      success: ok('Applied, or why not', object({ applied: { type: 'boolean' } })),
      problems: [400, 401, 404, 422],
    },
    {
      method: 'post',
      path: '/webhooks/billing/stripe',
      summary: "Stripe-style subscription event: sets the organization's store plan; each event id applies once",
      description: 'Events other than `customer.subscription.*` are acknowledged with `applied: false`.',
      auth: 'signed',
      headers: { 'Stripe-Signature': { description: '`t=…,v1=…`: HMAC-SHA256 over `${t}.${rawBody}`, at most 300 s old' } },
      // api/routes/webhooks/billing-webhook.ts keeps its event schema to itself: this is written after it.
      body: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string', enum: ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted'] },
          data: object({ object: { type: 'object', properties: { metadata: object({ organization_id: { type: 'integer' } }) } } }),
        },
        required: ['id', 'type', 'data'],
      },
      success: ok('Received', object({ received: { type: 'boolean' }, applied: { type: 'boolean' } })),
      problems: [400, 401],
    },
  ],
};
