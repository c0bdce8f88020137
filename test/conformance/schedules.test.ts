import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { startTemporalServer } from '../../embedded-temporal/index.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../embedded-temporal/throwaway-postgres.ts';
import * as activities from './activities.ts';
import { REAL_SERVER, id, workflowBundle } from './harness.ts';

/** Schedules through the SDK's client.schedule, as its users write them. */
describe('conformance: schedules', function () {
  this.timeout(60_000);
  let pg: ThrowawayPostgres | undefined;
  let server: Awaited<ReturnType<typeof startTemporalServer>> | undefined;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = id('schedules');
  const created: ScheduleHandle[] = [];

  const connect = async (address: string) => {
    connection = await Connection.connect({ address });
    nativeConnection = await NativeConnection.connect({ address });
    client = new Client({ connection });
    worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities, shutdownGraceTime: '100ms' });
    running = worker.run();
  };
  const disconnect = async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
  };

  before(async () => {
    if (!REAL_SERVER) {
      pg = await startThrowawayPostgres();
      server = await startTemporalServer({ databaseUrl: pg.url });
    }
    await connect(REAL_SERVER ?? server!.address);
  });
  after(async () => {
    for (const handle of created) await handle.delete().catch(() => undefined);
    await disconnect();
    await server?.stop();
    await pg?.stop();
  });

  /** A schedule that acts only when triggered (its calendar is in 2099). */
  const createSchedule = async (workflowType: string, args: unknown[], more: { overlap?: ScheduleOverlapPolicy; pauseOnFailure?: boolean } = {}) => {
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ year: 2099, month: 'JANUARY', dayOfMonth: 1 }] },
      action: { type: 'startWorkflow', workflowType, args, taskQueue, workflowId: `${scheduleId}-wf`, memo: { source: 'schedule' } },
      policies: { overlap: more.overlap, pauseOnFailure: more.pauseOnFailure },
    });
    created.push(handle);
    return handle;
  };

  const eventually = async <T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const runningCount = (handle: ScheduleHandle, n: number) => eventually(() => handle.describe(), (d) => d.info.runningActions.length === n);
  /** Two actions in one second would get one workflow id (id + nominal time in seconds). */
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));
  /** Triggers once and waits for that workflow to run, then triggers `more` times; the first workflow's id. */
  const triggerWhileRunning = async (handle: ScheduleHandle, policy: ScheduleOverlapPolicy, more: number) => {
    await handle.trigger(policy);
    const first = (await runningCount(handle, 1)).info.runningActions[0].workflow.workflowId;
    for (let i = 0; i < more; i++) {
      await nextSecond();
      await handle.trigger(policy);
    }
    return first;
  };

  it('creates, describes (canonical spec, upcoming actions, memo, note), lists and deletes a schedule', async () => {
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }], cronExpressions: ['30 9 * * MON-FRI'], timezone: 'Europe/Paris', jitter: '10 seconds' },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['schedule'], taskQueue, workflowId: `${scheduleId}-wf` },
      memo: { team: 'ops' },
      state: { note: 'created by the test' },
    });
    const d = await handle.describe();
    expect(d.spec.intervals?.map((i) => i.every)).to.deep.equal([3_600_000]);
    expect(d.spec.calendars?.[0]).to.include({ comment: '' }).and.to.deep.include({ hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(d.spec.timezone).to.equal('Europe/Paris');
    expect(d.state.note).to.equal('created by the test');
    expect(d.memo).to.deep.equal({ team: 'ops' });
    expect(d.info.nextActionTimes).to.have.length(10);
    expect(d.info.nextActionTimes[0].getTime()).to.be.greaterThan(Date.now() - 1000);
    const listed = [];
    for await (const s of client.schedule.list()) listed.push(s.scheduleId);
    expect(listed).to.include(scheduleId);
    await handle.delete();
    const err = await handle.describe().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ScheduleNotFoundError);
  });

  it('trigger starts the workflow with the action memo and the schedule id as TemporalScheduledById; describe shows it among recent actions', async () => {
    const handle = await createSchedule('greet', ['Ada']);
    await handle.trigger();
    const d = await eventually(() => handle.describe(), (x) => x.info.recentActions.length === 1);
    const started = d.info.recentActions[0].action.workflow;
    expect(started.workflowId).to.match(new RegExp(`^${handle.scheduleId}-wf-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    const wf = client.workflow.getHandle(started.workflowId);
    expect(await wf.result()).to.equal('Hello, Ada!');
    const described = await wf.describe();
    expect(described.searchAttributes.TemporalScheduledById).to.deep.equal([handle.scheduleId]);
    expect(described.memo).to.deep.equal({ source: 'schedule' });
  });

  describe('overlap policies (a second trigger while the first workflow runs)', () => {
    it('SKIP: the second action is skipped', async () => {
      const handle = await createSchedule('cancellable', [], { overlap: ScheduleOverlapPolicy.SKIP });
      await triggerWhileRunning(handle, ScheduleOverlapPolicy.SKIP, 1);
      const d = await eventually(() => handle.describe(), (x) => x.info.numActionsSkippedOverlap === 1);
      expect(d.info.runningActions).to.have.length(1);
      expect(d.info.numActionsTaken).to.equal(1);
    });

    it('ALLOW_ALL: both run', async () => {
      const handle = await createSchedule('cancellable', []);
      await triggerWhileRunning(handle, ScheduleOverlapPolicy.ALLOW_ALL, 1);
      await runningCount(handle, 2);
    });

    it('BUFFER_ONE: one waits for the running workflow, more are dropped', async () => {
      const handle = await createSchedule('cancellable', []);
      const first = await triggerWhileRunning(handle, ScheduleOverlapPolicy.BUFFER_ONE, 2);
      const d = await eventually(() => handle.describe(), (x) => Number(x.raw.info?.bufferSize) === 1);
      expect(Number(d.raw.info?.bufferDropped)).to.equal(1);
      await client.workflow.getHandle(first).terminate('done');
      const after = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 2);
      expect(after.info.runningActions).to.have.length(1);
      expect(after.info.runningActions[0].workflow.workflowId).to.not.equal(first);
      expect(Number(after.raw.info?.bufferSize ?? 0)).to.equal(0);
    });

    it('BUFFER_ALL: every action waits its turn', async () => {
      const handle = await createSchedule('cancellable', []);
      await triggerWhileRunning(handle, ScheduleOverlapPolicy.BUFFER_ALL, 2);
      await eventually(() => handle.describe(), (x) => Number(x.raw.info?.bufferSize) === 2);
      for (let taken = 2; taken <= 3; taken++) {
        const runningId = (await handle.describe()).info.runningActions[0].workflow.workflowId;
        await client.workflow.getHandle(runningId).terminate('next');
        await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === taken && x.info.runningActions.length === 1);
      }
    });

    for (const [policy, ended] of [
      [ScheduleOverlapPolicy.CANCEL_OTHER, 'CANCELLED'],
      [ScheduleOverlapPolicy.TERMINATE_OTHER, 'TERMINATED'],
    ] as const) {
      it(`${policy}: the running workflow is ${ended.toLowerCase()}, then the new one starts`, async () => {
        const handle = await createSchedule('cancellable', []);
        const first = await triggerWhileRunning(handle, policy, 1);
        const d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 2 && x.info.runningActions.length === 1);
        expect(d.info.runningActions[0].workflow.workflowId).to.not.equal(first);
        expect((await client.workflow.getHandle(first).describe()).status.name).to.equal(ended);
      });
    }
  });

  it('pause and unpause with notes; a trigger still acts while paused', async () => {
    const handle = await createSchedule('greet', ['paused']);
    await handle.pause('maintenance');
    let d = await handle.describe();
    expect(d.state.paused).to.equal(true);
    expect(d.state.note).to.equal('maintenance');
    await handle.trigger();
    d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 1);
    expect(await client.workflow.getHandle(d.info.recentActions[0].action.workflow.workflowId).result()).to.equal('Hello, paused!');
    await handle.unpause('back');
    d = await handle.describe();
    expect(d.state.paused).to.equal(false);
    expect(d.state.note).to.equal('back');
  });

  it('pauses itself when a started workflow fails and pauseOnFailure is set', async () => {
    const handle = await createSchedule('failing', [], { pauseOnFailure: true });
    await handle.trigger();
    const d = await eventually(() => handle.describe(), (x) => x.state.paused);
    expect(d.state.note).to.match(/paused due to workflow failure/);
    expect(d.info.recentActions[0].action.workflow.workflowId).to.include(handle.scheduleId);
  });

  it('takes only its remaining actions, then shows none upcoming; update replaces the spec', async () => {
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 second' }] },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['limited'], taskQueue, workflowId: `${scheduleId}-wf` },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      state: { remainingActions: 2 },
    });
    created.push(handle);
    const d = await eventually(() => handle.describe(), (x) => x.state.remainingActions === 0);
    expect(d.info.numActionsTaken).to.equal(2);
    expect(d.info.nextActionTimes).to.deep.equal([]);
    await handle.update((previous) => ({ ...previous, spec: { intervals: [{ every: '1 day' }] }, state: { ...previous.state, remainingActions: undefined, paused: true } }));
    const updated = await handle.describe();
    expect(updated.spec.intervals?.map((iv) => iv.every)).to.deep.equal([86_400_000]);
    expect(updated.state.paused).to.equal(true);
    expect(updated.info.nextActionTimes[0].getTime() % 86_400_000).to.equal(0);
  });

  it('backfill starts one workflow per spec time in the range, named for its nominal time', async () => {
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 minute' }] },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['backfill'], taskQueue, workflowId: `${scheduleId}-wf` },
      state: { paused: true },
    });
    created.push(handle);
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const start = new Date(end.getTime() - 4 * 60_000);
    await handle.backfill({ start, end, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
    const d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 5);
    const expected = [0, 1, 2, 3, 4].map((i) => `${scheduleId}-wf-${new Date(start.getTime() + i * 60_000).toISOString().replace('.000Z', 'Z')}`);
    expect(d.info.recentActions.map((a) => a.action.workflow.workflowId)).to.deep.equal(expected);
    expect(d.info.recentActions.map((a) => a.scheduledAt.getTime())).to.deep.equal([0, 1, 2, 3, 4].map((i) => start.getTime() + i * 60_000));
  });

  it('a zoned calendar across DST: a skipped local time does not fire, a repeated one fires twice', async () => {
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: [1, 2], minute: 30 }], timezone: 'America/New_York', startAt: new Date('2027-03-13T00:00:00Z') },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['dst'], taskQueue, workflowId: `${scheduleId}-wf` },
      state: { paused: true },
    });
    created.push(handle);
    const matching = async (from: string, to: string) => {
      const res: temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse = await client.workflowService.listScheduleMatchingTimes({
        namespace: 'default',
        scheduleId,
        startTime: msToTs(Date.parse(from)),
        endTime: msToTs(Date.parse(to)),
      });
      return (res.startTime ?? []).map((t) => new Date(tsToMs(t)).toISOString());
    };
    // 14 March 2027, 02:00 EST becomes 03:00 EDT: 02:30 does not exist that day.
    expect(await matching('2027-03-13T05:00:00Z', '2027-03-15T08:00:00Z')).to.deep.equal([
      '2027-03-13T06:30:00.000Z',
      '2027-03-13T07:30:00.000Z',
      '2027-03-14T06:30:00.000Z',
      '2027-03-15T05:30:00.000Z',
      '2027-03-15T06:30:00.000Z',
    ]);
    // 7 November 2027, 02:00 EDT becomes 01:00 EST: 01:30 happens twice.
    expect(await matching('2027-11-07T04:00:00Z', '2027-11-07T08:00:00Z')).to.deep.equal([
      '2027-11-07T05:30:00.000Z',
      '2027-11-07T06:30:00.000Z',
      '2027-11-07T07:30:00.000Z',
    ]);
  });

  it('after the server was down, catches up on the actions missed inside the catch-up window only', async function () {
    if (REAL_SERVER) this.skip();
    const scheduleId = id('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '2 seconds' }] },
      action: { type: 'startWorkflow', workflowType: 'greet', args: ['catch-up'], taskQueue, workflowId: `${scheduleId}-wf` },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '10 seconds' },
    });
    created.push(handle);
    await eventually(() => handle.describe(), (x) => x.info.numActionsTaken >= 1);
    await disconnect();
    const port = server!.port;
    await server!.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 16_000));
    server = await startTemporalServer({ databaseUrl: pg!.url, port });
    await connect(server.address);
    const d = await eventually(() => client.schedule.getHandle(scheduleId).describe(), (x) => x.info.numActionsMissedCatchupWindow > 0 && x.info.recentActions.some((a) => a.scheduledAt.getTime() > downAt));
    const caughtUp = d.info.recentActions.filter((a) => a.scheduledAt.getTime() > downAt && a.takenAt.getTime() - a.scheduledAt.getTime() > 1000);
    expect(caughtUp.length).to.be.greaterThan(0);
    for (const a of caughtUp) expect(a.takenAt.getTime() - a.scheduledAt.getTime()).to.be.at.most(10_000 + 2_000);
  });
});
