import { expect } from 'chai';
import request from 'supertest';
import { outboxMailer } from '../../../runtime/mail/outbox-mailer.ts';
import { testDb } from '../../support/app.ts';
import { platformApp, uniqueEmail, type PlatformApp } from '../platform/helpers.ts';

describe('dev outbox API', () => {
  let app: PlatformApp['app'];
  const provider = uniqueEmail('paul');
  const merchant = uniqueEmail('mia');

  before(async () => {
    ({ app } = platformApp());
    // As the senders keep them: each mail's idempotency key starts with what it is about.
    const outbox = outboxMailer(testDb());
    await outbox.send({ to: provider, subject: 'New booking request: Wall painting', text: 'Accept: http://127.0.0.1/respond/abc', idempotencyKey: 'booking:1:confirm:2' });
    for (let i = 0; i < 3; i += 1) await outbox.send({ to: merchant, subject: `Low stock: Mug ${i}`, text: 'Only 2 left', idempotencyKey: `store-alert:${i}:9` });
    await outbox.send({ to: provider, subject: 'Job failing: Nightly export', text: 'It failed 3 times', idempotencyKey: 'job-4-run-failed' });
    await outbox.send({ to: merchant, subject: 'Finish signing up', text: 'Open the link', idempotencyKey: 'sign-up-7' });
    await outbox.send({ to: provider, subject: 'Priya mentioned you', text: '@paul look', idempotencyKey: 'comment:3:mention:2' });
  });

  const list = async (query: Record<string, string>) => (await request(app).get('/api/v1/dev/outbox').query(query).expect(200)).body;

  it('filters by recipient, by kind and by words, newest first', async () => {
    const forProvider = await list({ to: provider });
    expect(forProvider.items.map((m: { subject: string }) => m.subject)).to.deep.equal(['Priya mentioned you', 'Job failing: Nightly export', 'New booking request: Wall painting']);
    expect(forProvider.items.map((m: { kind: string }) => m.kind)).to.deep.equal(['board', 'job', 'booking']);
    expect((await list({ to: merchant, kind: 'account' })).items.map((m: { subject: string }) => m.subject)).to.deep.equal(['Finish signing up']);
    const bookings = await list({ to: provider, kind: 'booking' });
    expect(bookings.items).to.have.length(1);
    expect(bookings.items[0]).to.include({ kind: 'booking', to: provider });
    const stock = await list({ to: merchant, q: 'mug 1' });
    expect(stock.items.map((m: { subject: string }) => m.subject)).to.deep.equal(['Low stock: Mug 1']);
    expect((await list({ q: '100%_' })).items).to.deep.equal([]);
  });

  it('lists the recipients and kinds there are to filter by, with their counts', async () => {
    const all = await list({});
    expect(all.recipients).to.deep.include({ to: merchant, count: 4 });
    expect(all.kinds.map((k: { kind: string }) => k.kind)).to.include.members(['booking', 'job', 'store']);
  });

  it('pages, and refuses a kind it does not know with a 422 naming the field', async () => {
    const first = await list({ to: merchant, kind: 'store', pageSize: '2' });
    expect(first).to.include({ total: 3, page: 1, pageSize: 2 });
    expect(first.items).to.have.length(2);
    expect((await list({ to: merchant, kind: 'store', pageSize: '2', page: '2' })).items).to.have.length(1);
    const res = await request(app).get('/api/v1/dev/outbox').query({ kind: 'spam' }).expect(422);
    expect(res.headers['content-type']).to.match(/problem\+json/);
    expect(JSON.stringify(res.body)).to.contain('kind');
  });

  it('empties the outbox', async () => {
    await request(app).delete('/api/v1/dev/outbox').expect(204);
    expect((await list({})).total).to.equal(0);
  });
});
