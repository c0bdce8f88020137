import { createServiceSchema, searchServicesSchema, serviceOrderSchema, updateServiceSchema } from '../../../domain/catalog/services.ts';
import { providerProfileSchema } from '../../../domain/catalog/provider-profile.ts';
import { arrayOf, integerId, nullable, object, page, ref, type JsonSchema } from '../json-schema.ts';
import { created, noContent, ok, V1, type TagSpec } from '../operation.ts';

const categoryNode: JsonSchema = {
  type: 'object',
  properties: { id: integerId, name: { type: 'string' }, slug: { type: 'string' }, children: arrayOf({ $ref: '#/components/schemas/CategoryNode' }) },
  required: ['id', 'name', 'slug', 'children'],
};
const profileFields: Record<string, JsonSchema> = {
  id: integerId,
  name: { type: 'string' },
  timezone: { type: 'string' },
  bio: { type: 'string' },
  responseSlaMinutes: { type: 'integer' },
  rating: object({ mean: nullable({ type: 'number' }), count: { type: 'integer' } }),
};

/** Recursive shapes cannot be inlined: the builder adds this one to the components. */
export const catalogSchemas: Record<string, JsonSchema> = { CategoryNode: categoryNode };

export const catalogTag: TagSpec = {
  name: 'catalog',
  description: 'Browsing the marketplace: categories, services and providers. Anonymous callers (and API keys) see active services of enabled providers.',
  operations: [
    { method: 'get', path: `${V1}/categories`, summary: 'The category tree', auth: 'public', success: ok('Root categories with their children', arrayOf(ref('CategoryNode'))) },
    { method: 'get', path: `${V1}/services`, summary: 'Search services: each word finds titles, descriptions, category and provider names by prefix or with a small typo; category with sub-categories, price range', auth: 'optional', query: searchServicesSchema, success: ok('A page of services', page(ref('Service'))) },
    { method: 'get', path: `${V1}/services/:id`, summary: 'One service (an inactive one only for its provider or an admin)', auth: 'optional', success: ok('The service', ref('Service')), problems: [404] },
    { method: 'post', path: `${V1}/services`, summary: 'Create a service (a provider their own; an admin names `providerId`)', auth: 'user', body: createServiceSchema, success: created('The service', ref('Service')) },
    { method: 'patch', path: `${V1}/services/:id`, summary: 'Change a service (its provider, an admin)', auth: 'user', body: updateServiceSchema, success: ok('The service', ref('Service')), problems: [404] },
    { method: 'delete', path: `${V1}/services/:id`, summary: 'Deactivate a service; its bookings keep it', auth: 'user', success: noContent('Deactivated'), problems: [404] },
    {
      method: 'get',
      path: `${V1}/providers/:id`,
      summary: "A provider's public profile with their active services",
      auth: 'optional',
      success: ok('The provider', object({ ...profileFields, services: arrayOf({ type: 'object' }) })),
      problems: [404],
    },
    { method: 'get', path: `${V1}/providers/me/services`, summary: "The calling provider's services in their order, archived ones included", auth: 'user', success: ok('Services', object({ items: arrayOf(ref('Service')) })), problems: [409] },
    { method: 'put', path: `${V1}/providers/me/services/order`, summary: "Reorder the calling provider's services (name each once)", auth: 'user', body: serviceOrderSchema, success: ok('Services in the new order', object({ items: arrayOf(ref('Service')) })), problems: [409] },
    { method: 'get', path: `${V1}/providers/me/profile`, summary: "The calling provider's own profile", auth: 'user', success: ok('The profile', object(profileFields)), problems: [409] },
    {
      method: 'put',
      path: `${V1}/providers/me/profile`,
      summary: "Create or change the calling provider's profile; a customer calling it becomes a provider",
      description: 'Answers 201 the first time, 200 afterwards. `name` changes the display name. The timezone must be a place\'s IANA name (Region/City) or UTC.',
      auth: 'user',
      body: providerProfileSchema,
      success: ok('The profile (201 when it was created)', object(profileFields)),
    },
  ],
};
