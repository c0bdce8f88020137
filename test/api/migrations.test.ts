import { expect } from 'chai';
import type { Db } from '../../db/connection.ts';
import { migrateDownAll, migrateLatest, migrationStatus } from '../../db/migrate.ts';
import { databaseOfItsOwn } from '../support/own-database.ts';

describe('migrations', () => {
  // A database of its own: going down drops every table, which the other tests need.
  let db: Db;

  before(async () => {
    db = await databaseOfItsOwn('migrations');
  });
  after(() => db.destroy());

  async function tables(): Promise<string[]> {
    const rows = await db('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
    return rows.filter((name: string) => !name.startsWith('knex_')).sort();
  }

  it('migrates up from empty, down to empty and up again', async () => {
    const applied = await migrateLatest(db);
    expect(applied.length).to.be.greaterThan(0);
    expect(await tables()).to.include('dev_outbox');
    expect((await migrationStatus(db)).pending).to.deep.equal([]);

    const reverted = await migrateDownAll(db);
    expect(reverted).to.have.members(applied);
    expect(await tables()).to.deep.equal([]);

    expect(await migrateLatest(db)).to.deep.equal(applied);
  });
});
