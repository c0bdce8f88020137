import { arrayOf, integerId, object, type JsonSchema } from '../json-schema.ts';
import { ok, V1, type TagSpec } from '../operation.ts';

/*
 * api/routes/notifications.ts parses with zod schemas it does not export, so its query and body
 * are written here by hand, after those schemas; export them to derive these instead.
 */
const listQuery: JsonSchema = {
  type: 'object',
  properties: {
    unread: { type: 'string', default: 'false', description: 'Only unread ones: `true` or `false` (zod stringbool: also 1/0, yes/no, on/off)' },
    before: { type: 'integer', minimum: 1, description: 'Only notifications with a smaller id (paging)' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
};
const markReadBody: JsonSchema = {
  oneOf: [
    { type: 'object', properties: { ids: { type: 'array', items: integerId, minItems: 1, maxItems: 500 } }, required: ['ids'], additionalProperties: false },
    { type: 'object', properties: { all: { const: true } }, required: ['all'], additionalProperties: false },
  ],
};
const unread = { unread: { type: 'integer' } };

export const notificationsTag: TagSpec = {
  name: 'notifications',
  description: "A person's persistent notifications; reads are announced live on `user:<id>`.",
  operations: [
    { method: 'get', path: `${V1}/notifications`, summary: 'Notifications, newest first', auth: 'user', query: listQuery, success: ok('Notifications and the unread count', object({ items: arrayOf({ type: 'object' }), ...unread })) },
    { method: 'get', path: `${V1}/notifications/unread_count`, summary: 'How many are unread', auth: 'user', success: ok('The unread count', object(unread)) },
    { method: 'post', path: `${V1}/notifications/read`, summary: 'Mark some, or all, as read', auth: 'user', body: markReadBody, success: ok('The unread count after', object(unread)) },
  ],
};
