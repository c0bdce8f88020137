import request from 'supertest';
import type { Agent } from 'supertest';
import { createApp } from '../../../api/app.ts';
import { testContext, testDb } from '../../support/app.ts';
import type { AppContext } from '../../../api/context.ts';
import type { Db } from '../../../db/connection.ts';
import type { MailMessage } from '../../../runtime/mail/mailer.ts';
import { hashPassword } from '../../../domain/identity/passwords.ts';
import { insertUser, type UserRow } from '../../../db/repositories/users.ts';
import type { UserRole } from '../../../domain/identity/roles.ts';

export const PASSWORD = 'correct-horse-battery';

let counter = 0;
/** Emails and client IPs unique across the run, so tests never share accounts or rate-limit counts. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}@example.test`;
}

export function freshIp(): string {
  counter += 1;
  return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
}

export interface PlatformApp {
  app: ReturnType<typeof createApp>;
  ctx: AppContext;
  sent: MailMessage[];
}

/** The real app on the test database, its mail recorded in `sent`. */
export function platformApp(): PlatformApp {
  const sent: MailMessage[] = [];
  const ctx = testContext({ mailer: { send: async (message) => void sent.push(message) } });
  return { app: createApp(ctx), ctx, sent };
}

/** The token of the sign-up confirmation link last mailed to `email`. */
export function confirmationToken(sent: MailMessage[], email: string): string {
  const mail = sent.filter((message) => message.to === email).at(-1);
  const token = /\/confirm-sign-up\/([\w-]+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no sign-up confirmation mailed to ${email}`);
  return token;
}

let passwordHash: Promise<string> | undefined;

/** A person straight in the database (faster than the sign-up route, which has its own tests). */
export async function createUser(role: UserRole = 'customer', label: string = role, db: Db = testDb()): Promise<UserRow> {
  passwordHash ??= hashPassword(PASSWORD);
  return (await insertUser(db, { email: uniqueEmail(label), name: `Test ${label}`, role, passwordHash: await passwordHash }))!;
}

export interface Session {
  agent: Agent;
  csrf: string;
  user: UserRow;
}

/** A browser: an agent holding the session cookie, and the CSRF token to echo. */
export async function signIn(app: PlatformApp['app'], user: UserRow): Promise<Session> {
  const agent = request.agent(app);
  const res = await agent.post('/api/v1/auth/sign_in').set('X-Forwarded-For', freshIp()).send({ email: user.email, password: PASSWORD }).expect(200);
  const csrf = /pb_csrf=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { agent, csrf, user };
}

/** `db`: the app's database, when it is not the run's (a test with a backend of its own). */
export async function signedInAs(app: PlatformApp['app'], role: UserRole = 'customer', db: Db = testDb()): Promise<Session> {
  return signIn(app, await createUser(role, role, db));
}

/** Creates an organization owned by `owner` and returns its id. */
export async function createOrg(owner: Session, name = 'Test Org'): Promise<number> {
  const res = await owner.agent.post('/api/v1/orgs').set('X-CSRF-Token', owner.csrf).send({ name }).expect(201);
  return res.body.id;
}

export async function addMember(orgId: number, userId: number, role: 'owner' | 'admin' | 'member'): Promise<void> {
  await testDb()('memberships').insert({ organization_id: orgId, user_id: userId, role });
}

export async function auditActions(filter: Record<string, unknown>): Promise<string[]> {
  return testDb()('audit_events').where(filter).orderBy('id').pluck('action');
}
