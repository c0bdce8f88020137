import { expect } from 'chai';
import { testDb } from '../../support/app.ts';
import { createOrg, createUser, signIn, signedInAs, type Session } from '../platform/helpers.ts';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from '../bookings/support.ts';
import { eventually } from '../../support/eventually.ts';
import { ensureAlertDigestActor } from '../../../api/alert-digest-actor.ts';
import { ALERT_DIGEST_WORKFLOW_ID } from '../../../workflows/alert-digest/definitions.ts';

describe('workflow inspector API', function () {
  this.timeout(60_000);
  let market: Marketplace;
  let admin: Session;
  let carla: Session;

  before(async () => {
    market = await marketplace();
    admin = await signIn(market.stack.app, await createUser('admin'));
    carla = await customer(market.stack);
  });

  const get = (path: string) => admin.agent.get(`/api/v1/admin/workflows${path}`);
  const act = (path: string, body: object = {}) => admin.agent.post(`/api/v1/admin/workflows${path}`).set('X-CSRF-Token', admin.csrf).send(body);
  const ids = (res: { body: { items: Array<{ workflowId: string }> } }) => res.body.items.map((item) => item.workflowId);

  async function cronJob(name = 'Nightly'): Promise<string> {
    const owner = await signedInAs(market.stack.app);
    const orgId = await createOrg(owner);
    const key = (await owner.agent.post(`/api/v1/orgs/${orgId}/api_keys`).set('X-CSRF-Token', owner.csrf).send({ name: 'ci' }).expect(201)).body.key;
    const job = await owner.agent
      .post(`/api/v1/orgs/${orgId}/jobs`)
      .set('Authorization', `Bearer ${key}`)
      .send({ name, url: 'https://example.com/hook', schedule: { kind: 'cron', expression: '0 3 * * *' } })
      .expect(201);
    return `cron-job-${job.body.id}`;
  }

  it('lists the actors by kind and by status, with the total', async () => {
    const live = await hold(carla, market.serviceId, quarterHourFromNow(8));
    const ended = await hold(carla, market.serviceId, quarterHourFromNow(9));
    await post(carla, `/api/v1/bookings/${ended}/cancel`, { note: 'Changed my mind' }).expect(200);
    const jobWorkflow = await cronJob();

    const bookings = await get('?kind=booking').expect(200);
    expect(ids(bookings)).to.include.members([`booking-${live}`, `booking-${ended}`]);
    expect(ids(bookings)).not.to.include(jobWorkflow);
    expect(bookings.body.items.every((item: { kind: string }) => item.kind === 'booking')).to.equal(true);
    expect(bookings.body.total).to.be.at.least(2);

    const jobs = await get('?kind=cron-job&status=running').expect(200);
    expect(ids(jobs)).to.include(jobWorkflow);
    expect(jobs.body.items.find((item: { workflowId: string }) => item.workflowId === jobWorkflow)).to.include({ workflowType: 'cronJobWorkflow', status: 'RUNNING' });

    const finished = await eventually(async () => {
      const res = await get('?kind=booking&status=completed').expect(200);
      return ids(res).includes(`booking-${ended}`) && res;
    }, 'the canceled booking to show as completed');
    expect(ids(finished)).not.to.include(`booking-${live}`);
    expect(ids(await get('?kind=booking&status=running').expect(200))).to.include(`booking-${live}`).and.not.include(`booking-${ended}`);

    await get('?kind=invoice').expect(422);
  });

  it('lists and opens the alert digest actor, with its state query', async () => {
    await ensureAlertDigestActor(market.stack.ctx.temporal!);
    const digests = await get('?kind=alert-digest&status=running').expect(200);
    expect(ids(digests)).to.deep.equal([ALERT_DIGEST_WORKFLOW_ID]);
    expect(digests.body.items[0]).to.include({ kind: 'alert-digest', workflowType: 'alertDigestWorkflow' });
    const detail = await eventually(async () => {
      const body = (await get(`/${ALERT_DIGEST_WORKFLOW_ID}`).expect(200)).body;
      return body.state?.ok && body;
    }, 'the digest actor to answer its state query');
    expect(detail.state.value).to.have.keys('lastTickAt', 'ticksThisRun', 'digestsSentThisRun');
    expect(detail.signals).to.deep.equal([]);
  });

  it('opens a booking: its history as a timeline, the request id in its memo, and its state query', async () => {
    const startsAt = quarterHourFromNow(12);
    const held = await post(carla, '/api/v1/bookings/hold', { serviceId: market.serviceId, startsAt }).set('X-Request-Id', 'inspector-test-hold').expect(201);
    expect(held.headers['x-request-id']).to.equal('inspector-test-hold');
    await post(carla, `/api/v1/bookings/${held.body.id}/confirm`, { note: 'Ring twice' }).expect(200);

    // The state query waits for the workflow tasks the confirm began: on a loaded machine the first ask may time out.
    const res = await eventually(async () => {
      const answer = await get(`/booking-${held.body.id}`).expect(200);
      return answer.body.state?.ok && answer;
    }, 'the booking actor to answer its state query');
    expect(res.body).to.include({ workflowId: `booking-${held.body.id}`, kind: 'booking', workflowType: 'bookingWorkflow', status: 'RUNNING', cancelable: true });
    expect(res.body.memo).to.deep.equal({ requestId: 'inspector-test-hold' });
    expect(res.body.state.value).to.include({ bookingId: String(held.body.id), state: 'requested' });
    const types = res.body.timeline.map((event: { type: string }) => event.type);
    expect(types[0]).to.equal('WorkflowExecutionStarted');
    expect(res.body.timeline[0].detail).to.equal('bookingWorkflow');
    expect(types).to.include('ActivityTaskScheduled');
    const update = res.body.timeline.find((event: { type: string }) => event.type === 'WorkflowExecutionUpdateAccepted');
    expect(update).to.include({ detail: 'confirm' });
    expect(Date.parse(update.at)).to.be.closeTo(Date.now(), 60_000);
    expect(res.body.signals).to.deep.equal([]);
  });

  it('shows an activity while it is in progress among the pending activities', async () => {
    const id = await hold(carla, market.serviceId, quarterHourFromNow(14));
    // The transition's activity writes the booking row: holding its lock keeps the activity running.
    const lock = await testDb().transaction();
    try {
      await lock('bookings').where({ id }).forUpdate().first();
      const confirming = post(carla, `/api/v1/bookings/${id}/confirm`, {}).then((res) => res);
      const pending = await eventually(async () => {
        const res = await get(`/booking-${id}`).expect(200);
        return res.body.pendingActivities.length > 0 && res.body.pendingActivities;
      }, 'a pending activity');
      expect(pending[0]).to.include({ activityType: 'recordBookingTransition', state: 'Started', attempt: 1 });
      expect(pending[0].scheduledAt).to.be.a('string');
      await lock.rollback();
      expect((await confirming).status).to.equal(200);
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
    }
    const after = await get(`/booking-${id}`).expect(200);
    expect(after.body.pendingActivities).to.deep.equal([]);
  });

  it('signals a cron job actor and cancels a booking, both in the audit log', async () => {
    const jobWorkflow = await cronJob();
    const before = await eventually(async () => {
      const res = await get(`/${jobWorkflow}`).expect(200);
      return res.body.state?.ok && res.body;
    }, 'the job actor to answer its state query');
    expect(before.signals).to.include('pause');
    expect(before.state.value).to.include({ enabled: true });

    await act(`/${jobWorkflow}/signal`, { name: 'pause', args: [{ revision: before.state.value.revision }] }).expect(202);
    await eventually(async () => (await get(`/${jobWorkflow}`).expect(200)).body.state?.value?.enabled === false, 'the job to be paused');
    await act(`/${jobWorkflow}/signal`, { name: 'confirm' }).expect(422);

    const id = await hold(carla, market.serviceId, quarterHourFromNow(16));
    await act(`/booking-${id}/cancel`).expect(202);
    const canceled = await eventually(async () => {
      const res = await get(`/booking-${id}`).expect(200);
      return res.body.status !== 'RUNNING' && res.body;
    }, 'the booking workflow to close');
    expect(canceled.status).to.equal('CANCELLED');
    expect(canceled.cancelable).to.equal(false);
    await act(`/booking-${id}/cancel`).expect(409);

    const audited = await testDb()('audit_events').where({ actor_id: admin.user.id }).whereIn('action', ['workflow.signaled', 'workflow.cancel_requested']).orderBy('id');
    expect(audited.map((row: { action: string; target_id: string }) => [row.action, row.target_id])).to.deep.equal([
      ['workflow.signaled', jobWorkflow],
      ['workflow.cancel_requested', `booking-${id}`],
    ]);
  });

  it('answers 404 for an unknown workflow and 403 to anyone but an admin', async () => {
    await get('/booking-does-not-exist').expect(404);
    const provider = market.provider;
    await provider.agent.get('/api/v1/admin/workflows').expect(403);
    await carla.agent.get('/api/v1/admin/workflows?kind=booking').expect(403);
    await carla.agent.post('/api/v1/admin/workflows/booking-1/cancel').set('X-CSRF-Token', carla.csrf).expect(403);
  });

  it('finds an actor by its workflow id, a booking number or a job name, and names what it runs for', async () => {
    const id = await hold(carla, market.serviceId, quarterHourFromNow(20));
    const jobName = `Invoice sync ${Date.now().toString(36)}`;
    const jobWorkflow = await cronJob(jobName);

    const byNumber = await get(`?q=%23${id}`).expect(200);
    expect(ids(byNumber)).to.deep.equal([`booking-${id}`]);
    expect(byNumber.body.items[0].entity).to.include({ kind: 'booking', id, path: `/bookings/${id}` });
    expect(byNumber.body.items[0].entity.name).to.match(new RegExp(`^#${id} .+ for .+`));

    const byName = await get(`?q=${encodeURIComponent(jobName.toLowerCase())}`).expect(200);
    expect(ids(byName)).to.deep.equal([jobWorkflow]);
    expect(byName.body.items[0].entity).to.include({ kind: 'job', name: jobName, organization: 'Test Org', path: `/jobs/${jobWorkflow.replace('cron-job-', '')}` });

    expect(ids(await get(`?q=${jobWorkflow}`).expect(200))).to.deep.equal([jobWorkflow]);
    expect((await get('?q=no%20such%20thing%20anywhere').expect(200)).body).to.include({ total: 0 });
    expect(ids(await get(`?q=%23${id}&kind=cron-job`).expect(200))).to.deep.equal([]);
  });

  it("pages a long history, newest page first, and shows a running actor's call stack", async () => {
    const jobWorkflow = await cronJob();
    const first = await eventually(async () => {
      const body = (await get(`/${jobWorkflow}`).expect(200)).body;
      return body.state?.ok && body;
    }, 'the job actor to answer its state query');
    for (let i = 0; i < 40; i++) await act(`/${jobWorkflow}/signal`, { name: 'resume', args: [{ revision: first.state.value.revision }] }).expect(202);
    const newest = await eventually(async () => {
      const body = (await get(`/${jobWorkflow}`).expect(200)).body;
      // The query waits for the signals' workflow tasks: while they go on, it may time out.
      return body.history.total > 100 && body.stackTrace?.ok && body;
    }, 'the signals to be in the history, and the call stack');
    expect(newest.history).to.include({ pageSize: 100, pages: Math.ceil(newest.history.total / 100) });
    expect(newest.history.page).to.equal(newest.history.pages);
    expect(newest.timeline.at(-1).id).to.equal(newest.history.total);
    const oldest = (await get(`/${jobWorkflow}?historyPage=1`).expect(200)).body;
    expect(oldest.timeline).to.have.length(100);
    expect(oldest.timeline[0]).to.include({ id: 1, type: 'WorkflowExecutionStarted' });
    await get(`/${jobWorkflow}?historyPage=0`).expect(422);

    expect(newest.stackTrace.ok, JSON.stringify(newest.stackTrace)).to.equal(true);
    expect(newest.stackTrace.value).to.contain('workflows/cron-job/workflow.ts');
  });
});
