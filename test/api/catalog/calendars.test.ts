import { expect } from 'chai';
import request from 'supertest';
import { backendStack, type Stack } from '../../support/stack.ts';
import { testDb } from '../../support/app.ts';
import { signedInAs, type Session } from '../platform/helpers.ts';
import { signedInProvider } from './support.ts';
import { calendarWorkflowId } from '../../../workflows/calendar-sync/definitions.ts';

describe('catalog: a provider’s calendar feeds', () => {
  let stack: Stack;
  let provider: Session;
  before(async () => {
    stack = await backendStack();
    provider = await signedInProvider(stack.app, 'Europe/Berlin');
  });

  const send = (method: 'post' | 'delete', path: string, body: unknown = {}, session = provider) =>
    session.agent[method](`/api/v1/providers/me/calendars${path}`).set('X-CSRF-Token', session.csrf).send(body as object);
  const FEED = 'http://127.0.0.1:10/private-token-abc123/basic.ics';

  it('subscribes a feed, keeps its address sealed and shows only its host, and starts the calendar actor', async () => {
    const created = await send('post', '', { url: FEED, label: 'Work' }).expect(201);
    expect(created.body).to.deep.include({ label: 'Work', host: '127.0.0.1:10', lastSyncedAt: null, busyEvents: 0 });
    expect(JSON.stringify(created.body)).not.to.contain('private-token');
    const row = await testDb()('calendar_feeds').where({ id: created.body.id }).first('url_sealed');
    expect(row.url_sealed).to.match(/^v1\./).and.not.contain('private-token');
    const listed = await provider.agent.get('/api/v1/providers/me/calendars').expect(200);
    expect(listed.body.items.map((f: { id: number }) => f.id)).to.deep.equal([created.body.id]);
    const actor = await stack.ctx.temporal!.client.workflow.getHandle(calendarWorkflowId(provider.user.id)).describe();
    expect(actor.type).to.equal('calendarSyncWorkflow');
    await send('post', `/${created.body.id}/refresh`).expect(202);
  });

  it('accepts webcal:// addresses as https and refuses what is not a feed address, at the url field', async () => {
    const webcal = await send('post', '', { url: 'webcal://127.0.0.1:10/cal.ics' }).expect(201);
    expect(webcal.body.host).to.equal('127.0.0.1:10');
    for (const url of ['ftp://127.0.0.1/cal.ics', 'not a url', 'http://127.0.0.1:0/cal.ics', 'https://user:pw@127.0.0.1/cal.ics', '']) {
      const res = await send('post', '', { url }).expect(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), url).to.deep.equal(['url']);
    }
  });

  it('unsubscribes, and the feed’s blocks go with it', async () => {
    const feed = (await send('post', '', { url: FEED }).expect(201)).body;
    await testDb()('availability_blocks').insert({
      provider_id: provider.user.id,
      source: 'external',
      calendar: `ics-${feed.id}`,
      external_event_id: 'evt|1',
      during: testDb().raw("tstzrange(now() + interval '1 day', now() + interval '25 hours', '[)')"),
    });
    await send('delete', `/${feed.id}`).expect(204);
    expect(await testDb()('availability_blocks').where({ calendar: `ics-${feed.id}` })).to.have.length(0);
    await send('delete', `/${feed.id}`).expect(404);
  });

  it('keeps each provider to their own feeds, and to ten of them', async () => {
    const other = await signedInProvider(stack.app, 'Asia/Tokyo');
    const theirs = (await send('post', '', { url: FEED }, other).expect(201)).body;
    await send('delete', `/${theirs.id}`).expect(404);
    await send('post', `/${theirs.id}/refresh`).expect(404);
    const customer = await signedInAs(stack.app, 'customer');
    await customer.agent.get('/api/v1/providers/me/calendars').expect(403);
    await request(stack.app).get('/api/v1/providers/me/calendars').expect(401);
    for (let i = 1; i < 10; i++) await send('post', '', { url: FEED }, other).expect(201);
    const refused = await send('post', '', { url: FEED }, other).expect(409);
    expect(refused.body.reason).to.equal('too-many-feeds');
  });
});
