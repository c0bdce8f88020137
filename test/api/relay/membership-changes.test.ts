import { expect } from 'chai';
import request from 'supertest';
import { startApi, type RunningApi } from '../../../api/server.ts';
import { testContext } from '../../support/app.ts';
import { addMember, createUser, freshIp, PASSWORD } from '../platform/helpers.ts';
import { publishCommitted, TestSocket } from './support.ts';

interface Person {
  id: number;
  agent: ReturnType<typeof request.agent>;
  cookie: string;
  csrf: string;
}

/** A team change takes effect on the relay at once: a removed member's open socket stops hearing of the organization. */
describe('relay: membership changes', () => {
  let api: RunningApi;
  let url: string;
  const sockets: TestSocket[] = [];

  before(async () => {
    api = await startApi(testContext(), 0, '127.0.0.1');
    url = `${api.url.replace('http', 'ws')}/ws`;
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => api.close());

  async function signedIn(label: string): Promise<Person> {
    const user = await createUser('customer', label);
    const agent = request.agent(api.url);
    const res = await agent.post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: user.email, password: PASSWORD }).expect(200);
    const cookies = String(res.headers['set-cookie']);
    return { id: user.id, agent, cookie: `pb_session=${/pb_session=([^;]+)/.exec(cookies)![1]}`, csrf: /pb_csrf=([^;]+)/.exec(cookies)![1] };
  }

  /** An owner and a member of a new organization, each with a socket following its jobs and its team. */
  async function team() {
    const owner = await signedIn('owner');
    const member = await signedIn('member');
    const orgId = (await owner.agent.post('/api/v1/orgs').set('X-CSRF-Token', owner.csrf).send({ name: 'Relay team' }).expect(201)).body.id as number;
    await addMember(orgId, member.id, 'member');
    const topics = [`org:${orgId}:jobs`, `org:${orgId}:team`];
    const open = async (person: Person) => {
      const socket = await TestSocket.open(url, null, { headers: { cookie: person.cookie } });
      sockets.push(socket);
      for (const topic of topics) await socket.subscribe(topic);
      return socket;
    };
    return { owner, member, orgId, jobs: topics[0], teamTopic: topics[1], ownerSocket: await open(owner), memberSocket: await open(member) };
  }

  it('drops a removed member’s subscriptions to the organization’s topics at once, and keeps the owner’s', async () => {
    const { owner, member, orgId, jobs, teamTopic, ownerSocket, memberSocket } = await team();
    await owner.agent.delete(`/api/v1/orgs/${orgId}/members/${member.id}`).set('X-CSRF-Token', owner.csrf).expect(204);

    expect(await memberSocket.next({ type: 'error', topic: jobs })).to.include({ code: 'forbidden' });
    expect(await memberSocket.next({ type: 'error', topic: teamTopic })).to.include({ code: 'forbidden' });
    expect(await ownerSocket.next({ type: 'event', topic: teamTopic })).to.deep.include({ event: 'member.removed', data: { userId: member.id } });

    const seq = await publishCommitted(jobs, 'job.updated', { jobId: 1 });
    expect(await ownerSocket.next({ type: 'event', topic: jobs })).to.include({ seq, event: 'job.updated' });
    expect(memberSocket.seen({ type: 'event', topic: jobs }), 'the removed member heard of a job').to.deep.equal([]);
    // Subscribing again is refused as well, on the same socket.
    memberSocket.send({ type: 'subscribe', topic: jobs });
    expect(await memberSocket.next({ type: 'error', topic: jobs })).to.include({ code: 'forbidden' });
  });

  it('checks a member again when their role changes, and keeps what they may still follow', async () => {
    const { owner, member, orgId, jobs, teamTopic, memberSocket } = await team();
    await owner.agent.patch(`/api/v1/orgs/${orgId}/members/${member.id}`).set('X-CSRF-Token', owner.csrf).send({ role: 'admin' }).expect(200);
    expect(await memberSocket.next({ type: 'event', topic: teamTopic })).to.deep.include({ event: 'member.role_changed', data: { userId: member.id, role: 'admin' } });

    const seq = await publishCommitted(jobs, 'job.updated', { jobId: 2 });
    expect(await memberSocket.next({ type: 'event', topic: jobs })).to.include({ seq });
    expect(memberSocket.seen({ type: 'error' })).to.deep.equal([]);
  });
});
