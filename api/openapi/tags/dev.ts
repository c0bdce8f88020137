import { arrayOf, integerId, isoDateTime, object } from '../json-schema.ts';
import { ok, V1, type TagSpec } from '../operation.ts';

export const devTag: TagSpec = {
  name: 'dev',
  description: 'Development helpers, off in production and when SMTP_URL is set.',
  operations: [
    {
      method: 'get',
      path: `${V1}/dev/outbox`,
      summary: 'Mail kept instead of sent, newest first (100)',
      auth: 'public',
      success: ok('The outbox', object({ items: arrayOf(object({ id: integerId, to: { type: 'string' }, subject: { type: 'string' }, text: { type: 'string' }, createdAt: isoDateTime })) })),
      problems: [404],
    },
  ],
};
