/**
 * Custom search attributes per namespace, as OperatorService Add/List/RemoveSearchAttributes keep
 * them. Their own table and DDL (as schedules have), created on start, so a database from before
 * them simply gains it. Those given at start (`--search-attribute`) are registered in every
 * namespace on each start, as `temporal server start-dev` registers them.
 */
import pg from 'pg';
import { SCHEMA } from '../store/schema.ts';
import { Mutex } from './mutex.ts';
import { SYSTEM_SEARCH_ATTRIBUTES } from './search-attributes.ts';

const TABLE = `${SCHEMA}.search_attributes`;
const DDL = `
create schema if not exists ${SCHEMA};
create table if not exists ${TABLE} (
  namespace text not null,
  name text not null,
  type text not null,
  primary key (namespace, name)
);
`;

export class SearchAttributeRegistry {
  private readonly custom = new Map<string, Map<string, string>>();
  /** Changes read the current set and write it whole: one at a time. */
  private readonly lock = new Mutex();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly atStart: Record<string, string>,
  ) {}

  /** `atStart`: name -> IndexedValueType, registered in namespaces that have none yet. */
  static async open(url: string, atStart: Record<string, string> = {}): Promise<SearchAttributeRegistry> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    await pool.query(DDL);
    const registry = new SearchAttributeRegistry(pool, atStart);
    const { rows } = await pool.query(`select namespace, name, type from ${TABLE}`);
    for (const row of rows) registry.loaded(row.namespace).set(row.name, row.type);
    return registry;
  }

  /** A namespace's attributes as loaded: the start-time ones, and those in the table over them. */
  private loaded(namespace: string): Map<string, string> {
    let attributes = this.custom.get(namespace);
    if (!attributes) this.custom.set(namespace, (attributes = new Map(Object.entries(this.atStart))));
    return attributes;
  }

  /** The namespace's custom attributes by name: IndexedValueType. */
  customTypes(namespace: string): Record<string, string> {
    const registered = this.custom.get(namespace);
    return registered ? Object.fromEntries(registered) : { ...this.atStart };
  }

  /** Every attribute a namespace knows, system ones included. */
  types(namespace: string): Record<string, string> {
    return { ...this.customTypes(namespace), ...SYSTEM_SEARCH_ATTRIBUTES };
  }

  /** Adds (or retypes) attributes; the start-time ones become the namespace's own first. */
  async add(namespace: string, attributes: Record<string, string>): Promise<void> {
    await this.lock.run(() => this.save(namespace, { ...this.customTypes(namespace), ...attributes }));
  }

  async remove(namespace: string, names: string[]): Promise<void> {
    await this.lock.run(() => {
      const remaining = this.customTypes(namespace);
      for (const name of names) delete remaining[name];
      return this.save(namespace, remaining);
    });
  }

  private async save(namespace: string, attributes: Record<string, string>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(`delete from ${TABLE} where namespace = $1`, [namespace]);
      await client.query(`insert into ${TABLE} (namespace, name, type) select $1, key, value from jsonb_each_text($2::jsonb)`, [namespace, JSON.stringify(attributes)]);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
    this.custom.set(namespace, new Map(Object.entries(attributes)));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
