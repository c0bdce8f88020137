import { createApiKeySchema } from '../../../domain/identity/api-keys.ts';
import { arrayOf, isoDateTime, nullable, object, type JsonSchema } from '../json-schema.ts';
import { created, noContent, ok, V1, type TagSpec } from '../operation.ts';

const keyFields: Record<string, JsonSchema> = {
  id: { type: 'string', description: 'The 16-character public part' },
  name: { type: 'string' },
  prefix: { type: 'string', description: '`pk_live_<id>`' },
  createdAt: isoDateTime,
  lastUsedAt: nullable(isoDateTime),
  revokedAt: nullable(isoDateTime),
};

export const apiKeysTag: TagSpec = {
  name: 'api-keys',
  description: "An organization's API keys (owner, admin); the full key is answered once, at creation.",
  operations: [
    { method: 'get', path: `${V1}/orgs/:orgId/api_keys`, summary: "The organization's API keys", auth: 'user', success: ok('Keys, without secrets', arrayOf(object(keyFields))) },
    { method: 'post', path: `${V1}/orgs/:orgId/api_keys`, summary: 'Create an API key', auth: 'user', body: createApiKeySchema, success: created('The key, with `key` shown this once', object({ ...keyFields, key: { type: 'string', pattern: '^pk_live_' } })) },
    { method: 'delete', path: `${V1}/orgs/:orgId/api_keys/:keyId`, summary: 'Revoke an API key', auth: 'user', params: { keyId: { type: 'string' } }, success: noContent('Revoked') },
  ],
};
