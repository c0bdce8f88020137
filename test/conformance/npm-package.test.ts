import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { freePort } from '../../db/embedded-postgres.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import * as activities from './activities.ts';
import { id, REAL_SERVER, workflowBundle } from './harness.ts';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('../../embedded-temporal/', import.meta.url));

/** Resolves with the first stdout line that matches, or rejects when the process ends first. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${out}${err}`)));
  });
}

/** Whether nothing listens on the port any more, within a few seconds. */
async function portClosed(port: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!open) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/**
 * The package as a stranger gets it: `npm pack`, installed from the tarball into an empty folder
 * outside the repository (its dependencies from npm's cache), then started with `npx` and with
 * the SDK's TestWorkflowEnvironment on its bin. The worker and client are the SDK's.
 */
describe('conformance: the embedded-temporal npm package, installed on its own (embedded only)', function () {
  this.timeout(240_000);
  let folder: string;

  before(function () {
    if (REAL_SERVER) this.skip();
  });
  before(async () => {
    installQuietRuntime('ERROR');
    folder = await mkdtemp(join(tmpdir(), 'embedded-temporal-package-'));
    // Run as root, PostgreSQL runs as the postgres user, which must reach its binaries in here.
    await chmod(folder, 0o755);
    await run('npm', ['pack', '--pack-destination', folder], { cwd: PACKAGE_DIR });
    const tarball = (await readdir(folder)).find((f) => f.endsWith('.tgz'))!;
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'hello-temporal', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`], { cwd: folder });
  });
  after(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const helloWorld = async (connection: NativeConnection, client: Client) => {
    const taskQueue = id('hello');
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: await workflowBundle(), activities, shutdownGraceTime: '100ms' });
    return worker.runUntil(client.workflow.execute('greet', { args: ['package'], taskQueue, workflowId: id('hello') }));
  };

  it('`npx embedded-temporal server start-dev` serves the API and the Temporal UI; a hello-world workflow runs on it', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = spawn('npx', ['--no-install', 'embedded-temporal', 'server', 'start-dev', '--port', String(port), '--ui-port', String(uiPort)], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a process group of its own, to be stopped as Ctrl-C in a terminal stops it
    });
    try {
      expect(await lineMatching(server, /listening on/)).to.equal(`embedded-temporal listening on 127.0.0.1:${port}, Temporal UI at http://127.0.0.1:${uiPort}`);
      const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
      const nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
      try {
        expect(await helloWorld(nativeConnection, new Client({ connection }))).to.equal('Hello, package!');
      } finally {
        await connection.close();
        await nativeConnection.close();
      }
      const page = await fetch(`http://127.0.0.1:${uiPort}/namespaces/default/workflows`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.match(/<html/i);
    } finally {
      process.kill(-server.pid!, 'SIGINT');
    }
    expect(await portClosed(port)).to.equal(true);
  });

  it('TestWorkflowEnvironment.createTimeSkipping runs its `temporal-test-server` bin (existing-path) and skips a day-long timer', async () => {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: join(folder, 'node_modules', '.bin', 'temporal-test-server') } },
    });
    try {
      const taskQueue = id('skip');
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities, shutdownGraceTime: '100ms' });
      const result = await worker.runUntil(env.client.workflow.execute('sleeper', { args: [24 * 3600 * 1000], taskQueue, workflowId: id('sleeper') }));
      expect(result).to.equal('woke');
    } finally {
      await env.teardown();
    }
  });
});
