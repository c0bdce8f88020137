import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Processes still running whose command line names `dir` (the embedded PostgreSQL runs with -D under it). */
async function processesUsing(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ').slice(0, 120)}`);
  }
  return found;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('npm start, as a new user sees it', function () {
  this.timeout(240_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pulseboard-start-'));
    // The database and Temporal of its own, in a data folder of its own: a first run on a fresh machine.
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), NODE_ENV: 'development', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (output.includes('Ctrl-C stops everything.')) done(resolve);
        else if (child!.exitCode !== null) done(() => reject(new Error(`npm start exited early:\n${output}`)));
      }, 200);
      const done = (then: () => void) => {
        clearInterval(poll);
        then();
      };
    });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows one line per part, then the URLs and logins last, and no log line', () => {
    const lines = output.trimEnd().split('\n');
    const ready = lines.findIndex((line) => line.startsWith('Pulseboard is ready in'));
    expect(ready, output).to.be.greaterThan(0);
    const parts = lines.slice(0, ready).filter((line) => line.trim() && !line.startsWith('>'));
    expect(parts.filter((line) => !line.startsWith('✔')), 'lines before "ready" that are not a part').to.deep.equal([]);
    const rest = lines.slice(ready);
    expect(rest.filter((line) => line.trimStart().startsWith('{')), 'JSON log lines among the URLs').to.deep.equal([]);
    expect(rest.join('\n')).to.match(/Web app\s+http:\/\/127\.0\.0\.1:\d+\//).and.contain('Demo logins:').and.contain('paul.provider@pulseboard.test');
    expect(rest.at(-1)).to.equal('Ctrl-C stops everything.');
    expect(rest.length, 'the first screen fits 24 rows').to.be.at.most(24);
  });

  it('stops every part on Ctrl-C, with no stack trace and no process left', async () => {
    const before = output.length;
    child!.kill('SIGINT');
    expect(await waitForExit(child!)).to.equal(0);
    const stopping = output.slice(before);
    expect(stopping).to.contain('stopped PostgreSQL');
    expect(stopping, 'a stack trace').to.not.match(/^\s+at /m);
    expect(stopping).to.not.match(/error|terminated unexpectedly|shutting down/i);
    expect(await processesUsing(dataDir)).to.deep.equal([]);
  });
});
