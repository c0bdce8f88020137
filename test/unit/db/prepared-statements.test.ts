import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../../db/connection.ts';
import { queryPrepared } from '../../../db/prepared.ts';
import { findUserById, insertUser } from '../../../db/repositories/users.ts';

/**
 * Prepared statements live on as long as their connection, across migrations: one that names its
 * columns is planned again when a table widens; a `select *` is refused from then on.
 */
describe('prepared statements across a migration', function () {
  let db: Db;
  let userId: number;

  before(async () => {
    db = createDb(process.env.DATABASE_URL!, 1); // one connection: the statements prepared are the ones reused
    userId = (await insertUser(db, { email: `prepared-${randomUUID()}@test.dev`, name: 'Prepared', role: 'customer', passwordHash: 'x' }))!.id;
  });
  after(async () => {
    await db.schema.alterTable('users', (t) => t.dropColumn('widened_for_test')).catch(() => undefined);
    await db.destroy();
  });

  it('keeps answering the user lookup after a column is added to users, where a select * is refused', async () => {
    const everything = () => queryPrepared(db, 'test-users-star', db('users').where({ id: userId }).first());
    expect((await findUserById(db, userId))?.name).to.equal('Prepared');
    await everything();
    await db.schema.alterTable('users', (t) => t.integer('widened_for_test'));
    expect((await findUserById(db, userId))?.name).to.equal('Prepared');
    const refused = await everything().then(() => null, (error: Error) => error);
    expect(refused?.message).to.match(/cached plan must not change result type/);
  });
});
