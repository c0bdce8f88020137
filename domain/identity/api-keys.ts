import { z } from 'zod';

export const API_KEY_PREFIX = 'pk_live_';

export const createApiKeySchema = z.object({ name: z.string().trim().min(1, 'is required').max(80) });

const KEY_PATTERN = /^pk_live_([a-z0-9]{16})\.([A-Za-z0-9_-]{43})$/;

/** Splits `pk_live_<id>.<secret>`; null for anything else, so a malformed key is just an unknown key. */
export function parseApiKey(value: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(value);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function formatApiKey(id: string, secret: string): string {
  return `${API_KEY_PREFIX}${id}.${secret}`;
}

export function apiKeyPrefix(id: string): string {
  return API_KEY_PREFIX + id;
}

/** A key id from a path; null when it cannot be one (then it is simply not found). */
export function parseApiKeyId(value: unknown): string | null {
  return typeof value === 'string' && /^[a-z0-9]{16}$/.test(value) ? value : null;
}
