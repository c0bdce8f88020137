import { expect } from 'chai';
import { createOrg, platformApp, signedInAs, type PlatformApp, type Session } from './helpers.ts';
import { createProjectBoard, type BoardBody } from '../board/support.ts';

describe('text input carries no NUL or control characters', () => {
  let app: PlatformApp['app'];
  let owner: Session;
  let orgId: number;
  let board: BoardBody;
  before(async () => {
    ({ app } = platformApp());
    owner = await signedInAs(app, 'provider');
    orgId = await createOrg(owner, 'Text Rules');
    board = await createProjectBoard(owner);
  });

  const job = (fields: Record<string, unknown>) => ({ name: 'Ping', url: 'http://127.0.0.1:9/ping', schedule: { kind: 'cron', expression: '*/5 * * * *' }, ...fields });

  it('answers 422 naming the field, on each route that gave a 500, instead of storing it', async () => {
    const send = (method: 'post' | 'patch', path: string, body: Record<string, unknown>) =>
      owner.agent[method](path).set('X-CSRF-Token', owner.csrf).send(body);
    const cases: Array<[ReturnType<typeof send>, string, string?]> = [
      [send('post', '/api/v1/projects', { name: 'a\u0000b' }), 'name'],
      [send('patch', `/api/v1/orgs/${orgId}`, { name: 'a\u0000b' }), 'name'],
      [send('post', `/api/v1/boards/${board.id}/tasks`, { columnId: board.columns[0].id, title: 'a\u0000b' }), 'title'],
      [send('post', `/api/v1/boards/${board.id}/columns`, { name: 'a\u0000b' }), 'name'],
      [send('post', `/api/v1/orgs/${orgId}/api_keys`, { name: 'a\u0000b' }), 'name'],
      [send('post', `/api/v1/orgs/${orgId}/jobs`, job({ name: 'a\u0000b' })), 'name'],
      [send('post', `/api/v1/orgs/${orgId}/jobs`, job({ headers: { 'X-Trace': 'a\u0000b' } })), 'headers.X-Trace'],
      [send('post', `/api/v1/orgs/${orgId}/jobs`, job({ name: 'bell \u0007 and escape \u001b' })), 'name', 'U+0007'],
      [owner.agent.get(`/api/v1/orgs/${orgId}/jobs?q=%00`), 'query.q'],
    ];
    for (const [request, field, codePoint = 'U+0000'] of cases) {
      const res = await request;
      expect(res.status, field).to.equal(422);
      expect(res.type).to.equal('application/problem+json');
      expect(res.body.errors).to.deep.equal([{ path: field, message: `must not contain control characters or half a surrogate pair (found ${codePoint})` }]);
    }
    const projects = (await owner.agent.get('/api/v1/projects').expect(200)).body.items;
    expect(projects.map((p: { name: string }) => p.name)).not.to.include('a\u0000b');
  });

  it('keeps tabs and line ends in multi-line text', async () => {
    const description = 'First line\r\nSecond line\n\tindented';
    const res = await owner.agent.post(`/api/v1/boards/${board.id}/tasks`).set('X-CSRF-Token', owner.csrf).send({ columnId: board.columns[0].id, title: 'Tabs\tare fine', description }).expect(201);
    expect(res.body).to.include({ title: 'Tabs\tare fine', description });
  });
});
