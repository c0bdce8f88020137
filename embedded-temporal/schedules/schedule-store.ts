/**
 * Schedules' storage: one row per schedule in the server's schema, its document as JSON
 * (protobuf parts as base64 of their encoding). Its own table and DDL, created on start next to
 * the runs' tables, so a database from before schedules simply gains it.
 */
import pg from 'pg';
import { SCHEMA } from '../store/schema.ts';

const DDL = `
create schema if not exists ${SCHEMA};
create table if not exists ${SCHEMA}.schedules (
  namespace text not null,
  schedule_id text not null,
  doc jsonb not null,
  primary key (namespace, schedule_id)
);
`;

export class ScheduleStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<ScheduleStore> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    await pool.query(DDL);
    return new ScheduleStore(pool);
  }

  async loadAll(): Promise<{ namespace: string; scheduleId: string; doc: unknown }[]> {
    const { rows } = await this.pool.query(`select namespace, schedule_id, doc from ${SCHEMA}.schedules`);
    return rows.map((r) => ({ namespace: r.namespace, scheduleId: r.schedule_id, doc: r.doc }));
  }

  /** Inserts; false when the id is taken. */
  async insert(namespace: string, scheduleId: string, doc: unknown): Promise<boolean> {
    const { rowCount } = await this.pool.query(`insert into ${SCHEMA}.schedules (namespace, schedule_id, doc) values ($1, $2, $3) on conflict do nothing`, [namespace, scheduleId, JSON.stringify(doc)]);
    return rowCount === 1;
  }

  async save(namespace: string, scheduleId: string, doc: unknown): Promise<void> {
    await this.pool.query(`update ${SCHEMA}.schedules set doc = $3 where namespace = $1 and schedule_id = $2`, [namespace, scheduleId, JSON.stringify(doc)]);
  }

  async delete(namespace: string, scheduleId: string): Promise<void> {
    await this.pool.query(`delete from ${SCHEMA}.schedules where namespace = $1 and schedule_id = $2`, [namespace, scheduleId]);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
