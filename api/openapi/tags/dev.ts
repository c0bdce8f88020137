import { outboxQuerySchema } from '../../../domain/mail/outbox-query.ts';
import { MAIL_KINDS } from '../../../domain/mail/mail-kind.ts';
import { arrayOf, integerId, isoDateTime, object } from '../json-schema.ts';
import { noContent, ok, V1, type TagSpec } from '../operation.ts';

const mail = object({ id: integerId, to: { type: 'string' }, kind: { type: 'string', enum: [...MAIL_KINDS] }, subject: { type: 'string' }, text: { type: 'string' }, createdAt: isoDateTime });
const counted = (key: string) => arrayOf(object({ [key]: { type: 'string' }, count: { type: 'integer' } }));

export const devTag: TagSpec = {
  name: 'dev',
  description: 'Development helpers, off in production and when SMTP_URL is set.',
  operations: [
    {
      method: 'get',
      path: `${V1}/dev/outbox`,
      summary: 'Mail kept instead of sent, newest first, filtered by recipient, kind and words; with the recipients and kinds to filter by',
      auth: 'public',
      query: outboxQuerySchema,
      success: ok('A page of the outbox', object({ items: arrayOf(mail), total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, kinds: counted('kind'), recipients: counted('to') })),
      problems: [404],
    },
    { method: 'delete', path: `${V1}/dev/outbox`, summary: 'Empty the outbox', auth: 'public', success: noContent('Emptied'), problems: [404] },
  ],
};
