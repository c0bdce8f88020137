import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { apiKeyPrefix, createApiKeySchema, formatApiKey, parseApiKeyId } from '../../domain/identity/api-keys.ts';
import { ORG_PERMISSIONS } from '../../domain/policies/organizations.ts';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../db/repositories/api-keys.ts';
import { audit } from '../auth/audit.ts';
import { currentUser, orgAccessOf, requireOrgRole } from '../auth/middleware.ts';
import { randomToken, sha256 } from '../auth/secrets.ts';
import { notFound } from '../http/problem.ts';

function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: apiKeyPrefix(row.id),
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The public half of a key: 16 characters, lower-case so it reads well in a prefix. */
function newKeyId(): string {
  return Array.from(randomBytes(16), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** An organization's API keys: the full key is answered once, at creation; only its hash is kept. */
export function apiKeyRoutes(ctx: AppContext): Router {
  const router = Router();
  const guard = requireOrgRole(ctx, ORG_PERMISSIONS.manage_api_keys);

  router.get('/orgs/:orgId/api_keys', guard, async (req, res) => {
    res.json((await listApiKeys(ctx.db, orgAccessOf(req).organizationId)).map(apiKeyView));
  });

  router.post('/orgs/:orgId/api_keys', guard, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const { name } = createApiKeySchema.parse(req.body);
    const secret = randomToken(32);
    const row = await insertApiKey(ctx.db, { id: newKeyId(), organizationId, name, secretHash: sha256(secret), createdBy: currentUser(req).id });
    await audit(ctx, req, { action: 'api_key.created', targetType: 'api_key', targetId: row.id, organizationId, details: { name } });
    res.status(201).json({ ...apiKeyView(row), key: formatApiKey(row.id, secret) });
  });

  router.delete('/orgs/:orgId/api_keys/:keyId', guard, async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const keyId = parseApiKeyId(req.params.keyId);
    if (!keyId || !(await revokeApiKey(ctx.db, organizationId, keyId))) throw notFound('No such API key.');
    await audit(ctx, req, { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, organizationId });
    res.status(204).end();
  });

  return router;
}
