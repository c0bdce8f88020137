import { expect } from 'chai';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startProduct, type StartedProduct } from '../../bench/support/npm-start.ts';
import { clusterFolder } from '../../db/embedded-postgres.ts';

/** Processes still running whose command line names `dir` (the embedded PostgreSQL runs with -D under it). */
async function processesUsing(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ').slice(0, 120)}`);
  }
  return found;
}

describe('npm start, as a new user sees it', function () {
  this.timeout(240_000);
  let dataDir: string;
  let product: StartedProduct | undefined;

  // The database and Temporal of its own, in a data folder of its own: a first run on a fresh machine.
  before(async () => {
    dataDir = await clusterFolder('pulseboard-start-');
    product = await startProduct(dataDir);
  });

  after(async () => {
    if (product?.child.exitCode === null) product.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows one line per part, then the URLs and logins last, and no log line', () => {
    const output = product!.output();
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

  it('stops every part on Ctrl-C in a terminal (SIGINT to its whole process group), worker first and PostgreSQL last, with no stack trace and no process left', async () => {
    const before = product!.output().length;
    expect(await product!.interrupt()).to.equal(0);
    const stopping = product!.output().slice(before);
    const stopped = stopping.split('\n').filter((line) => line.startsWith('stopped ')).map((line) => line.slice('stopped '.length));
    expect(stopped[0], 'the worker stops polling before what it uses goes away').to.equal('worker');
    expect(stopped.at(-1)).to.equal('PostgreSQL');
    expect(stopping, 'a stack trace').to.not.match(/^\s+at /m);
    expect(stopping, 'a log line').to.not.match(/^\{/m);
    expect(stopping).to.not.match(/error|terminated unexpectedly|shutting down/i);
    expect(await processesUsing(dataDir)).to.deep.equal([]);
  });

  it('stops quietly on Ctrl-C while still starting: no failed part, no stack trace, no process left', async () => {
    const early = await clusterFolder('pulseboard-start-early-');
    try {
      const starting = await startProduct(early, { until: 'demo data' });
      expect(await starting.interrupt()).to.equal(0);
      const output = starting.output();
      expect(output).to.not.contain('Pulseboard is ready');
      expect(output, 'a part marked failed').to.not.match(/^✘/m);
      expect(output, 'a stack trace').to.not.match(/^\s+at /m);
      expect(output).to.contain('stopped PostgreSQL');
      expect(await processesUsing(early)).to.deep.equal([]);
    } finally {
      await rm(early, { recursive: true, force: true });
    }
  });
});
