import { schemas, securitySchemes } from './components.ts';
import type { JsonSchema } from './json-schema.ts';
import { openApiPath, operationObject, type TagSpec } from './operation.ts';
import { authTag } from './tags/auth.ts';
import { organizationsTag } from './tags/organizations.ts';
import { apiKeysTag } from './tags/api-keys.ts';
import { adminTag } from './tags/admin.ts';
import { catalogSchemas, catalogTag } from './tags/catalog.ts';
import { availabilityTag } from './tags/availability.ts';
import { bookingsTag } from './tags/bookings.ts';
import { notificationsTag } from './tags/notifications.ts';
import { boardTag } from './tags/board.ts';
import { jobsTag } from './tags/jobs.ts';
import { storesTag } from './tags/stores.ts';
import { webhooksTag } from './tags/webhooks.ts';
import { billingTag } from './tags/billing.ts';
import { devTag } from './tags/dev.ts';

/** In the order the document and the docs page show them. */
export const TAGS: readonly TagSpec[] = [
  authTag,
  organizationsTag,
  apiKeysTag,
  adminTag,
  catalogTag,
  availabilityTag,
  bookingsTag,
  notificationsTag,
  boardTag,
  jobsTag,
  storesTag,
  webhooksTag,
  billingTag,
  devTag,
];

/** The OpenAPI 3.1 document of every route under /api/v1 and /webhooks. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const tag of TAGS) {
    for (const spec of tag.operations) {
      const path = (paths[openApiPath(spec.path)] ??= {});
      if (path[spec.method]) throw new Error(`${spec.method.toUpperCase()} ${spec.path} is documented twice`);
      path[spec.method] = operationObject(spec, tag.name);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pulseboard API',
      version: '1',
      description: 'Bookings, cron jobs and store ingestion as durable actors. Errors are RFC 9457 Problem Details (`application/problem+json`).',
    },
    servers: [{ url: '/' }],
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: { schemas: { ...schemas, ...catalogSchemas }, securitySchemes },
  };
}
