import { expect } from 'chai';
import pg from 'pg';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { testDb } from '../../support/app.ts';

/**
 * The embedded cluster (what `npm start`, the tests and the benches run on) is reached over its
 * Unix socket, which costs both ends less CPU a query than loopback TCP; TCP stays open for tools
 * given host and port only.
 */
describe('embedded PostgreSQL connections', function () {
  before(function () {
    if (process.env.TEST_DATABASE_URL) this.skip(); // an outside server: its URL is the caller's
  });

  it('names the socket in its URL, and a connection through it is not TCP', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    expect(url.searchParams.get('host')).to.match(/^\//);
    const { rows } = await testDb().raw('select inet_client_addr() as addr');
    expect(rows[0].addr).to.equal(null);
  });

  it('lives in the folder it was made in, so removing the folder removes the cluster', () => {
    // Its socket sits in its data folder. Made in a folder the postgres user cannot reach, the cluster
    // would live in /var/lib/pulseboard behind a link, and outlive the folder (1,000 of them once filled a disk).
    const socketDir = new URL(process.env.DATABASE_URL!).searchParams.get('host')!;
    expect(socketDir.startsWith(`${realpathSync(tmpdir())}/pulseboard-test-`), socketDir).to.equal(true);
    expect(realpathSync(socketDir)).to.equal(socketDir);
  });

  it('still answers over TCP on 127.0.0.1', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const client = new pg.Client({ host: '127.0.0.1', port: Number(url.port), user: url.username, password: url.password, database: url.pathname.slice(1) });
    await client.connect();
    try {
      const { rows } = await client.query('select host(inet_client_addr()) as addr');
      expect(rows[0].addr).to.equal('127.0.0.1');
    } finally {
      await client.end();
    }
  });
});
