import type { Db } from '../connection.ts';
import { containsPattern } from '../like-pattern.ts';
import type { OutboxQuery } from '../../domain/mail/outbox-query.ts';
import type { OutboxMailView, OutboxPage } from '../../domain/mail/outbox-views.ts';

interface OutboxRow {
  id: string;
  to_address: string;
  kind: string;
  subject: string;
  text_body: string;
  created_at: Date;
}

/** A page of kept mail, newest first, with the counts of every recipient and kind (unfiltered) to filter by. */
export async function listOutbox(db: Db, query: OutboxQuery): Promise<OutboxPage> {
  const filtered = db('dev_outbox').modify((q) => {
    if (query.to) q.where('to_address', query.to);
    if (query.kind) q.where('kind', query.kind);
    if (query.q) for (const word of query.q.split(/\s+/)) q.where((w) => w.whereILike('subject', containsPattern(word)).orWhereILike('text_body', containsPattern(word)));
  });
  const [rows, [{ total }], kinds, recipients] = await Promise.all([
    filtered.clone().orderBy('id', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize) as Promise<OutboxRow[]>,
    filtered.clone().count<{ total: string }[]>({ total: '*' }),
    db.raw<{ rows: Array<{ kind: string; count: string }> }>('select kind, count(*) from dev_outbox group by kind order by kind'),
    db.raw<{ rows: Array<{ to: string; count: string }> }>('select to_address as "to", count(*) from dev_outbox group by to_address order by to_address'),
  ]);
  return {
    items: rows.map((row): OutboxMailView => ({ id: Number(row.id), to: row.to_address, kind: row.kind, subject: row.subject, text: row.text_body, createdAt: row.created_at.toISOString() })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
    kinds: kinds.rows.map((k) => ({ kind: k.kind, count: Number(k.count) })),
    recipients: recipients.rows.map((r) => ({ to: r.to, count: Number(r.count) })),
  };
}

export async function clearOutbox(db: Db): Promise<number> {
  return db('dev_outbox').delete();
}

