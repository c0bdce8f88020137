import request from 'supertest';
import type { RunningApi } from '../../../api/server.ts';
import { createUser, freshIp, PASSWORD, platformApp, signedInAs, type Session } from '../platform/helpers.ts';

export interface BoardBody {
  id: number;
  columns: Array<{ id: number; name: string; count: number; wipLimit: number | null; bookingState: string | null; tasks: TaskBody[] }>;
}

export interface TaskBody {
  id: number;
  columnId: number;
  title: string;
  position: number;
  version: number;
  [key: string]: unknown;
}

/** A new project owned by `owner`, and its board (To do, In progress, Done). */
export async function createProjectBoard(owner: Session, name = 'Kitchen refit'): Promise<BoardBody> {
  const project = await owner.agent.post('/api/v1/projects').set('X-CSRF-Token', owner.csrf).send({ name }).expect(201);
  return (await owner.agent.get(`/api/v1/projects/${project.body.id}/board`).expect(200)).body.boards[0];
}

export async function addCards(owner: Session, boardId: number, columnId: number, titles: string[]): Promise<TaskBody[]> {
  const cards: TaskBody[] = [];
  for (const title of titles) {
    cards.push((await owner.agent.post(`/api/v1/boards/${boardId}/tasks`).set('X-CSRF-Token', owner.csrf).send({ columnId, title }).expect(201)).body);
  }
  return cards;
}

export function reorder(session: Session, body: Record<string, unknown>) {
  return session.agent.post('/api/v1/tasks/reorder').set('X-CSRF-Token', session.csrf).send(body);
}

/** Each column's card titles in the order the board shows them. */
export async function titlesByColumn(session: Session, boardId: number): Promise<Record<string, string[]>> {
  const board: BoardBody = (await session.agent.get(`/api/v1/boards/${boardId}`).expect(200)).body;
  return Object.fromEntries(board.columns.map((column) => [column.name, column.tasks.map((task) => task.title)]));
}

/** A board's owner (with a new project board) and someone with no part in it. */
export async function ownerAndOutsider(boardName: string): Promise<{ owner: Session; outsider: Session; board: BoardBody }> {
  const { app } = platformApp();
  const owner = await signedInAs(app, 'customer');
  return { owner, outsider: await signedInAs(app, 'customer'), board: await createProjectBoard(owner, boardName) };
}

/** A person signed in against the running API: HTTP calls and a WebSocket with the same session. */
export async function signInAt(api: RunningApi, role: 'customer' | 'admin'): Promise<Session & { cookie: string }> {
  const user = await createUser(role);
  const agent = request.agent(api.url);
  const res = await agent.post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: user.email, password: PASSWORD }).expect(200);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const csrf = /pb_csrf=([^;]+)/.exec(cookies.join(';'))![1];
  return { agent, csrf, user, cookie: cookies.map((c) => c.split(';')[0]).join('; ') };
}
