import { expect } from 'chai';
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backendStack, type Stack } from '../support/stack.ts';
import { testDb } from '../support/app.ts';
import { addMember, createUser, freshIp } from './platform/helpers.ts';
import { issueAccessToken } from '../../api/auth/access-tokens.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';
import { insertProjectWithBoard } from '../../db/repositories/boards.ts';
import { brokenBody, brokenQuery, fieldBroken, malformedJson, pathValue, type Components, type JsonSchema } from '../support/openapi-fuzz.ts';

/**
 * Every route of the OpenAPI document, called as the owner of an organization, one of its members,
 * an outsider, nobody and the organization's API key (and the admin routes as an admin), with
 * bodies, queries and path parameters derived from the document but broken (wrong types, missing
 * and extra fields, controls, NUL, lone surrogates, 100 kB strings, huge and negative numbers,
 * malformed JSON). No answer may be a 5xx, every error must be Problem Details, and another
 * organization's rows must not change.
 */
/** Fixed, so a failure repeats; FUZZ_SEED explores other inputs by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CASES: Record<Persona, number> = { owner: 16, member: 5, outsider: 3, anonymous: 3, apiKey: 3, admin: 12 };
/** People, and our organization's API key (a caller of its own kind on the job and store routes). */
type Persona = 'owner' | 'member' | 'outsider' | 'anonymous' | 'apiKey' | 'admin';
/** The admin may change any tenant, so it walks last, only the admin routes, and only with our own ids and a throwaway user's. */
const ADMIN_ROUTES = /^\/api\/v1\/admin\//;

/**
 * Valid bodies for the routes that create and change things, so that one broken field at a time
 * reaches the code that runs only on otherwise valid input (a schema can say little of a cron
 * expression or of which fields belong together).
 */
const JOB = { name: 'Yearly', url: 'http://127.0.0.1:10/fuzz', schedule: { kind: 'cron', expression: '0 0 1 1 *' }, method: 'POST', headers: { 'X-Trace': 'fuzz' }, body: 'hello' };
const EXAMPLES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/orgs/{orgId}/jobs': JOB,
  'PATCH /api/v1/orgs/{orgId}/jobs/{jobId}': JOB,
  'POST /api/v1/orgs': { name: 'Fuzzed' },
  'PATCH /api/v1/orgs/{orgId}': { name: 'Fuzzed' },
  'POST /api/v1/orgs/{orgId}/api_keys': { name: 'Fuzzed' },
  'POST /api/v1/orgs/{orgId}/invitations': { email: 'fuzz@example.test', role: 'member' },
  'POST /api/v1/projects': { name: 'Fuzzed' },
  'POST /api/v1/boards/{boardId}/columns': { name: 'Fuzzed', wipLimit: 3 },
  'PATCH /api/v1/columns/{columnId}': { name: 'Fuzzed', wipLimit: 3 },
  'PATCH /api/v1/tasks/{taskId}': { title: 'Fuzzed', description: 'text', priority: 'high', labels: ['a'], version: 1 },
  'POST /api/v1/cron/validate': { expression: '*/5 * * * *', timezone: 'Europe/Berlin' },
  'PUT /api/v1/orgs/{orgId}/sync': { jobs: [{ ...JOB, key: 'fuzz-sync' }] },
  'PUT /api/v1/providers/me/profile': { timezone: 'Europe/Berlin', bio: 'Fuzzed', responseSlaMinutes: 60 },
  'POST /api/v1/services': { title: 'Fuzzed', description: 'text', durationMinutes: 60, price: { kind: 'fixed', amountMinor: 1000, currency: 'EUR' }, minNoticeMinutes: 60, maxDaysAhead: 30 },
};
/** Broken values tried for each field of an example. */
const FIELD_CASES = 6;

interface Operation {
  method: string;
  path: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

interface Failure {
  persona: Persona;
  request: string;
  status: number;
  contentType: string;
  answer: string;
}

describe('fuzzing every route of the OpenAPI document', function () {
  this.timeout(300_000);
  let stack: Stack;
  let server: Server;
  let base: string;
  let tokens: Record<Persona, string | null>;
  let known: Record<string, Array<string | number>>;
  let adminKnown: Record<string, Array<string | number>>;
  let otherTenant: () => Promise<unknown>;

  before(async () => {
    stack = await backendStack();
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const [owner, member, outsider, other, admin, throwaway] = await Promise.all([
      createUser('provider', 'fuzz-owner'),
      createUser('customer', 'fuzz-member'),
      createUser('customer', 'fuzz-outsider'),
      createUser('provider', 'fuzz-other'),
      createUser('admin', 'fuzz-admin'),
      createUser('customer', 'fuzz-throwaway'),
    ]);
    const ours = await insertOrganizationWithOwner(testDb(), 'Fuzz Ours', owner.id);
    // On the paid plan, so that jobs the walk makes do not use up the free plan's few and stop the rest at 402.
    await testDb()('organizations').where({ id: ours.id }).update({ plan: 'pro' });
    await addMember(ours.id, member.id, 'member');
    const theirs = await insertOrganizationWithOwner(testDb(), 'Fuzz Theirs', other.id);
    tokens = {
      owner: await issueAccessToken(stack.ctx, owner.id),
      member: await issueAccessToken(stack.ctx, member.id),
      outsider: await issueAccessToken(stack.ctx, outsider.id),
      anonymous: null,
      admin: await issueAccessToken(stack.ctx, admin.id),
      apiKey: null, // set once the key exists, below
    };
    const otherToken = await issueAccessToken(stack.ctx, other.id);
    const asUser = (token: string, path: string, body: unknown) =>
      fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => {
        expect(res.status, path).to.equal(201);
        return (await res.json()) as { id: number | string };
      });
    const [ourJob, theirJob] = [await asUser(tokens.owner!, `/api/v1/orgs/${ours.id}/jobs`, JOB), await asUser(otherToken, `/api/v1/orgs/${theirs.id}/jobs`, JOB)];
    const [ourKey, theirKey] = [await asUser(tokens.owner!, `/api/v1/orgs/${ours.id}/api_keys`, { name: 'ours' }), await asUser(otherToken, `/api/v1/orgs/${theirs.id}/api_keys`, { name: 'theirs' })];
    tokens.apiKey = (ourKey as unknown as { key: string }).key;
    // A provider needs a profile before their services can be made.
    const profile = await fetch(`${base}/api/v1/providers/me/profile`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.owner}`, 'content-type': 'application/json' }, body: JSON.stringify(EXAMPLES['PUT /api/v1/providers/me/profile']) });
    expect(profile.status).to.be.below(300);
    const ourBoard = await testDb().transaction((trx) => insertProjectWithBoard(trx, owner.id, 'Ours'));
    const theirBoard = await testDb().transaction((trx) => insertProjectWithBoard(trx, other.id, 'Theirs'));
    const columns = (boardId: number) => testDb()('board_columns').where({ board_id: boardId }).pluck('id');
    const ourTask = await asUser(tokens.owner!, `/api/v1/boards/${ourBoard.boardId}/tasks`, { columnId: (await columns(ourBoard.boardId))[0], title: 'Ours' });
    const theirTask = await asUser(otherToken, `/api/v1/boards/${theirBoard.boardId}/tasks`, { columnId: (await columns(theirBoard.boardId))[0], title: 'Theirs' });

    // Path parameters by name: our resource first, theirs second, so both the right and the wrong tenant are tried.
    known = {
      orgId: [ours.id, theirs.id],
      jobId: [ourJob.id, theirJob.id],
      userId: [member.id, other.id],
      keyId: [ourKey.id, theirKey.id],
      boardId: [ourBoard.boardId, theirBoard.boardId],
      projectId: [ourBoard.projectId, theirBoard.projectId],
      taskId: [ourTask.id, theirTask.id],
      columnId: [...(await columns(ourBoard.boardId)), ...(await columns(theirBoard.boardId))],
      id: [owner.id, other.id, 1],
      workflowId: [`cron-job-${ourJob.id}`, `cron-job-${theirJob.id}`],
      date: ['2030-01-01'],
      calendar: ['google'],
      action: ['accept', 'decline'],
    };
    adminKnown = { id: [throwaway.id, 1], workflowId: [`cron-job-${ourJob.id}`] };
    const theirBoards = [theirBoard.boardId];
    otherTenant = async () => ({
      organization: await testDb()('organizations').where({ id: theirs.id }),
      memberships: await testDb()('memberships').where({ organization_id: theirs.id }).orderBy('user_id'),
      jobs: await testDb()('jobs').where({ organization_id: theirs.id }).orderBy('id'),
      apiKeys: await testDb()('api_keys').where({ organization_id: theirs.id }).orderBy('id'),
      invitations: await testDb()('invitations').where({ organization_id: theirs.id }).orderBy('id'),
      owner: await testDb()('users').where({ id: other.id }),
      projects: await testDb()('projects').where({ owner_id: other.id }).orderBy('id'),
      columns: await testDb()('board_columns').whereIn('board_id', theirBoards).orderBy('id'),
      tasks: await testDb()('tasks').whereIn('board_id', theirBoards).orderBy('id'),
    });
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers no 5xx, every error as Problem Details, and leaves another organization untouched', async () => {
    const document = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Components } };
    const before = JSON.stringify(await otherTenant());
    const failures: Failure[] = [];
    let sent = 0;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
    const walk = async (personas: Persona[], ids: Record<string, Array<string | number>>, only: RegExp = /./) => {
      for (const [index, { path, method, operation }] of operations.entries()) {
        if (!only.test(path)) continue;
        const requests = requestsFor(method, path, operation, document.components.schemas, ids);
        for (const persona of personas) {
          for (const generated of fc.sample(requests, { seed: SEED + index * 7 + persona.length, numRuns: CASES[persona] })) {
            const failure = await send(persona, generated);
            sent += 1;
            if (failure) failures.push(failure);
          }
        }
      }
    };
    // First, while our resources are all there, each field of each example broken in turn, as the owner.
    for (const [index, { path, method }] of operations.entries()) {
      const route = `${method.toUpperCase()} ${path}`;
      const example = EXAMPLES[route];
      if (!example) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => String(known[name][0]));
      for (const field of [...Object.keys(example), 'unexpected']) {
        for (const body of fc.sample(fieldBroken(example, field), { seed: SEED + index, numRuns: FIELD_CASES })) {
          const failure = await send('owner', { method: method.toUpperCase(), url, body: JSON.stringify(body), contentType: 'application/json' });
          sent += 1;
          if (failure) failures.push(failure);
        }
      }
    }
    await walk(['owner', 'member', 'outsider', 'anonymous', 'apiKey'], known);
    await walk(['admin'], adminKnown, ADMIN_ROUTES);
    const after = JSON.stringify(await otherTenant());
    console.log(`      ${sent} requests on ${operations.length} operations`);
    expect(failures.slice(0, 20), `${failures.length} bad answers`).to.deep.equal([]);
    expect(JSON.parse(after)).to.deep.equal(JSON.parse(before));
  });

  interface Generated {
    method: string;
    url: string;
    body?: string;
    contentType?: string;
  }

  function requestsFor(method: string, path: string, operation: Operation, components: Components, ids: Record<string, Array<string | number>>): fc.Arbitrary<Generated> {
    const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const queryNames = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const schema = operation.requestBody?.content['application/json']?.schema;
    const asJson = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });
    const body: fc.Arbitrary<{ body?: string; contentType?: string }> = schema
      ? fc.oneof(
          { arbitrary: brokenBody(schema, components).map(asJson), weight: 6 },
          { arbitrary: malformedJson.map((raw) => ({ body: raw, contentType: 'application/json' })), weight: 2 },
          { arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded').map((contentType) => ({ body: 'name=x', contentType })), weight: 1 },
        )
      : fc.constant({});
    return fc.record({ params: fc.tuple(...pathNames.map((name) => pathValue(ids[name] ?? []))), query: brokenQuery(queryNames), body }).map(({ params, query, body }) => ({
      method: method.toUpperCase(),
      url: path.replace(/\{(\w+)\}/g, () => params.shift()!) + query,
      ...body,
    }));
  }

  async function send(persona: Persona, generated: Generated): Promise<Failure | null> {
    // Each request from its own address, so the sign-in and sign-up limits do not stop the walk early.
    const headers: Record<string, string> = { 'x-forwarded-for': freshIp() };
    if (tokens[persona]) headers.authorization = `Bearer ${tokens[persona]}`;
    if (generated.contentType) headers['content-type'] = generated.contentType;
    const res = await fetch(base + generated.url, { method: generated.method, headers, body: generated.body, redirect: 'manual' });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const problem = res.status < 400 || contentType.startsWith('application/problem+json');
    if (res.status < 500 && problem) return null;
    return { persona, request: `${generated.method} ${generated.url.slice(0, 200)} ${generated.body?.slice(0, 200) ?? ''}`, status: res.status, contentType, answer: text.slice(0, 300) };
  }
});
