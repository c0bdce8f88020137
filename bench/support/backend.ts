import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterFolder, startEmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { createDb, type Db } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { parseConfig } from '../../runtime/config.ts';
import { createLogger } from '../../runtime/logger.ts';
import { openTemporal } from '../../scripts/temporal.ts';
import { connectTemporal } from '../../api/temporal.ts';
import { startApi } from '../../api/server.ts';
import type { AppContext } from '../../api/context.ts';
import { issueAccessToken } from '../../api/auth/access-tokens.ts';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import { startWorkerProcess } from './worker-process.ts';
import { treeCpuMsByPart, untilIdle } from './process-cpu.ts';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../../domain/identity/passwords.ts';
import { insertUser } from '../../db/repositories/users.ts';
import type { UserRole } from '../../domain/identity/roles.ts';

export interface Backend {
  ctx: AppContext;
  db: Db;
  url: string;
  /** A person straight in the database, with a bearer token (sign-in's rate limit is not what is measured). */
  person(role: UserRole): Promise<{ id: number; token: string }>;
  /** A new bearer token for a person: theirs last 15 minutes, and a long build outlasts them (a client would refresh). */
  renewToken(userId: number): Promise<string>;
  /** Stops the Temporal server and starts it again on its port and database: ms until the new one serves. */
  restartTemporal(): Promise<number>;
  stop(): Promise<void>;
}

const TASK_QUEUE = 'bench';

/** Which part of startBackend's process tree a command line is (the bench process itself runs the API). */
export function backendPartOf(commandLine: string): 'worker' | 'temporal' | 'postgres' | 'other' {
  if (commandLine.includes('workers/main')) return 'worker';
  if (commandLine.includes('server start-dev')) return 'temporal'; // before postgres: it is given a postgres:// URL
  if (commandLine.includes('postgres')) return 'postgres';
  return 'other';
}

/**
 * CPU (ms) that `work` costs each part of this process's backend ('root' is this process: the
 * API and the bench's own clients), including what it leaves the worker and server to finish once
 * it returns (counted until the tree idles).
 */
export async function backendCpuOf<T>(work: () => Promise<T>): Promise<{ result: T; byPart: Map<string, number> }> {
  const before = treeCpuMsByPart(process.pid, backendPartOf);
  const result = await work();
  await untilIdle(process.pid);
  const byPart = new Map([...treeCpuMsByPart(process.pid, backendPartOf)].map(([part, ms]) => [part, ms - (before.get(part) ?? 0)]));
  return { result, byPart };
}

/**
 * The whole backend on a throwaway PostgreSQL, as deployed: Temporal and one worker (`npm run
 * worker`) in processes of their own, the API with its relay in this one.
 */
export async function startBackend(): Promise<Backend> {
  const dir = await clusterFolder('pulseboard-bench-');
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), durable: false });
  const db = createDb(pg.url(), 30);
  await migrateLatest(db);
  // Its own process, as under `npm start`: the server gets a core, the API and worker the other.
  const serverOptions = { databaseUrl: pg.url(), dataDir: dir, namespace: 'default' };
  let server = await openTemporal(serverOptions);
  const temporal = await connectTemporal(server.address, 'default', TASK_QUEUE);
  const mailer = outboxMailer(db);
  const config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1', APP_SECRET: randomBytes(32).toString('base64url') });
  const ctx: AppContext = { config, db, log: createLogger('silent'), temporal, mailer };
  const worker = await startWorkerProcess({ databaseUrl: pg.url(), temporalAddress: server.address, appSecret: config.APP_SECRET! });
  const api = await startApi(ctx, 0, '127.0.0.1');
  const passwordHash = await hashPassword('bench-password');
  let people = 0;
  return {
    ctx,
    db,
    url: api.url,
    async person(role) {
      people += 1;
      const user = (await insertUser(db, { email: `${role}-${people}@bench.test`, name: `Bench ${role} ${people}`, role, passwordHash }))!;
      return { id: user.id, token: await issueAccessToken(ctx, user.id) };
    },
    renewToken: (userId) => issueAccessToken(ctx, userId),
    async restartTemporal() {
      await server.stop();
      const began = performance.now();
      // Ready once it listens: the embedded server opens its port after recovery.
      server = await openTemporal({ ...serverOptions, port: Number(server.address.split(':').pop()) });
      return performance.now() - began;
    },
    async stop() {
      await api.close();
      await worker.stop();
      await temporal.close();
      await server.stop();
      await db.destroy();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
