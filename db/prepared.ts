import type { Knex } from 'knex';

/**
 * Runs a query as a named prepared statement: PostgreSQL parses and plans it once per pooled
 * connection instead of on every call, which for a hot read made of several subqueries is most of
 * its cost. A name always goes with the same SQL (pg refuses a second text under one name), so
 * this is for queries whose shape never varies, only their values; and it names its columns, as
 * PostgreSQL refuses to run a prepared `select *` whose table a migration has since widened.
 * Given a transaction, it runs on the transaction's connection.
 */
export async function queryPrepared<T>(db: Knex | Knex.Transaction, name: string, query: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  const { sql, bindings } = query.toSQL().toNative();
  const connection = await db.client.acquireConnection();
  try {
    const result = await connection.query({ name, text: sql, values: bindings });
    return result.rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
