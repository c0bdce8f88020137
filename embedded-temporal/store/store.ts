/**
 * PostgreSQL persistence. Every state change of a run is one row upsert in `executions` plus
 * its new history rows. Writes from concurrent runs are grouped: while one transaction commits,
 * the next ones queue up and go together in the following one (group commit), so the number
 * of commits per second does not bound throughput.
 */
import pg from 'pg';
import { DDL, SCHEMA } from './schema.ts';

export interface ExecutionRow {
  runId: string;
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  status: number;
  startTime: number;
  executionTime: number;
  closeTime: number | null;
  historyLength: number;
  memo: Buffer | null;
  searchAttributes: Buffer | null;
  parentWorkflowId: string | null;
  parentRunId: string | null;
  state: string;
  /** The run's next deadline (ms), for recovery without reading its state. */
  wakeAt: number | null;
  /** Whether the run has work in flight, so recovery reads it whole. */
  resident: boolean;
  /** A new run written only if its workflow id has no run in the store yet (see Store.write). */
  ifWorkflowIdUnused?: boolean;
}

/** What recovery reads of a run with work left: the whole state only when it has work in flight. */
export interface PendingRun {
  runId: string;
  wakeAt: number | null;
  state: string | null;
}

export interface HistoryRow {
  runId: string;
  eventId: number;
  data: Buffer;
}

export interface NamespaceRow {
  name: string;
  id: string;
  description: string;
  retentionMs: number;
}

export interface DeploymentRow {
  namespace: string;
  name: string;
  state: string;
}

interface PendingWrite {
  events: HistoryRow[];
  executions: ExecutionRow[];
  resolve: (written: boolean) => void;
  reject: (err: unknown) => void;
}

const T = SCHEMA;
/**
 * One batch commits at a time; the next forms meanwhile. Batches committing at once on the same
 * tables cost PostgreSQL about a third more CPU per workflow (measured: 4 at once against 1, at 50
 * workflows in flight), and on a local database did not answer sooner.
 */
const MAX_CONCURRENT_BATCHES = 1;

export class Store {
  private pending: PendingWrite[] = [];
  private flushing = 0;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<Store> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    // An idle connection dropped by the server (e.g. PostgreSQL stopping) must not crash us.
    pool.on('error', () => {});
    const client = await pool.connect();
    try {
      // Two servers starting on one database at once must not race on the DDL.
      await client.query('select pg_advisory_lock(7233)');
      await client.query(DDL);
      await client.query('select pg_advisory_unlock(7233)');
    } finally {
      client.release();
    }
    return new Store(pool);
  }

  async close(): Promise<void> {
    while (this.flushing > 0 || this.pending.length) await new Promise((r) => setTimeout(r, 5));
    await this.pool.end();
  }

  /**
   * Persists new events and the new states of runs, atomically; resolves once committed. Resolves
   * false, having written nothing, when a row marked `ifWorkflowIdUnused` found a run of its
   * workflow id in the store.
   */
  write(executions: ExecutionRow[], events: HistoryRow[]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ events, executions, resolve, reject });
      void this.flush();
    });
  }

  /**
   * Takes every pending write into one batch, commits it, and goes on while writes are pending.
   * (Were batches to commit at once on separate connections, they could not conflict: a run never
   * has two writes in flight, its lock waits for the commit.)
   */
  private async flush(): Promise<void> {
    if (this.flushing >= MAX_CONCURRENT_BATCHES || !this.pending.length) return;
    this.flushing++;
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const refused = await this.commitBatch(batch);
        for (const w of batch) w.resolve(!w.executions.some((e) => refused.has(e.runId)));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.flushing--;
  }

  /**
   * One statement (so one round trip, atomic by itself): new events, then the runs' states.
   * Rows travel as two JSON documents: the states are JSON already, and native JSON encoding
   * is much cheaper than pg's escaping of array literals. New runs marked `ifWorkflowIdUnused`
   * whose workflow id has a run already are left out with their events: their ids come back.
   * (Their writer holds the workflow id's lock, so no other write in flight creates a run of it.)
   */
  private async commitBatch(batch: PendingWrite[]): Promise<Set<string>> {
    const events = batch.flatMap((w) => w.events);
    // The last state of a run in the batch wins; earlier ones were superseded in memory.
    const executions = [...new Map(batch.flatMap((w) => w.executions.map((e) => [e.runId, e] as const))).values()];
    const { rows } = await this.pool.query({
      name: 'write-batch',
      text: `with runs as (
               select * from jsonb_to_recordset($2::jsonb) as r(run_id text, namespace text, workflow_id text, workflow_type text,
                 task_queue text, status smallint, start_ms bigint, execution_ms bigint, close_ms bigint, history_length int,
                 memo text, search_attributes text, parent_workflow_id text, parent_run_id text, state jsonb,
                 wake_at bigint, resident boolean, if_workflow_id_unused boolean)
             ), refused as (
               select r.run_id from runs r
                where r.if_workflow_id_unused
                  and exists (select 1 from ${T}.executions x where x.namespace = r.namespace and x.workflow_id = r.workflow_id)
             ), new_events as (
               insert into ${T}.history_events (run_id, event_id, data)
               select e.run_id, e.event_id, decode(e.data, 'base64')
                 from jsonb_to_recordset($1::jsonb) as e(run_id text, event_id int, data text)
                where e.run_id not in (select run_id from refused)
             ), written as (
               insert into ${T}.executions (run_id, namespace, workflow_id, workflow_type, task_queue, status,
                 start_time, execution_time, close_time, history_length, memo, search_attributes,
                 parent_workflow_id, parent_run_id, state, wake_at, resident)
               select r.run_id, r.namespace, r.workflow_id, r.workflow_type, r.task_queue, r.status,
                 to_timestamp(r.start_ms / 1000.0), to_timestamp(r.execution_ms / 1000.0), to_timestamp(r.close_ms / 1000.0),
                 r.history_length, decode(r.memo, 'base64'), decode(r.search_attributes, 'base64'),
                 r.parent_workflow_id, r.parent_run_id, r.state, r.wake_at, r.resident
                 from runs r
                where r.run_id not in (select run_id from refused)
               on conflict (run_id) do update set status = excluded.status, close_time = excluded.close_time,
                 history_length = excluded.history_length, memo = excluded.memo,
                 search_attributes = excluded.search_attributes, state = excluded.state,
                 wake_at = excluded.wake_at, resident = excluded.resident
             )
             select run_id from refused`,
      values: [
        JSON.stringify(events.map((e) => ({ run_id: e.runId, event_id: e.eventId, data: e.data.toString('base64') }))),
        `[${executions.map(executionJson).join(',')}]`,
      ],
    });
    return new Set(rows.map((r) => r.run_id as string));
  }

  async loadHistory(runId: string): Promise<Buffer[]> {
    const { rows } = await this.pool.query({
      name: 'load-history',
      text: `select data from ${T}.history_events where run_id = $1 order by event_id`,
      values: [runId],
    });
    return rows.map((r) => r.data as Buffer);
  }

  /**
   * Runs with work left: open ones, and closed ones whose cross-run effects are not done yet.
   * The state (the costly part to read and keep) only of those with work in flight.
   */
  async loadPendingRuns(): Promise<PendingRun[]> {
    const { rows } = await this.pool.query(
      `select run_id, wake_at, case when resident is not false then state::text end as state from ${T}.executions
        where status = 1 or resident or (resident is null and jsonb_array_length(state->'outbox') > 0)`,
    );
    return rows.map((r) => ({ runId: r.run_id as string, wakeAt: r.wake_at === null ? null : Number(r.wake_at), state: r.state as string | null }));
  }

  async loadRun(runId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query({ name: 'load-run', text: `select state::text as state from ${T}.executions where run_id = $1`, values: [runId] });
    return rows[0]?.state;
  }

  /**
   * The run's state, or the newest run of the workflow id when runId is not given. Prepared: every
   * start of a workflow id new to memory asks it.
   */
  async loadState(namespace: string, workflowId: string, runId?: string): Promise<string | undefined> {
    const { rows } = runId
      ? await this.pool.query({
          name: 'load-state-of-run',
          text: `select state::text as state from ${T}.executions where run_id = $1 and namespace = $2 and workflow_id = $3`,
          values: [runId, namespace, workflowId],
        })
      : await this.pool.query({
          name: 'load-state-of-workflow',
          text: `select state::text as state from ${T}.executions where namespace = $1 and workflow_id = $2
                 order by start_time desc limit 1`,
          values: [namespace, workflowId],
        });
    return rows[0]?.state;
  }

  async listNamespaces(): Promise<NamespaceRow[]> {
    const { rows } = await this.pool.query(`select name, id, description, retention_ms from ${T}.namespaces order by name`);
    return rows.map((r) => ({ name: r.name, id: r.id, description: r.description, retentionMs: Number(r.retention_ms) }));
  }

  async insertNamespace(ns: NamespaceRow): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `insert into ${T}.namespaces (name, id, description, retention_ms) values ($1, $2, $3, $4) on conflict do nothing`,
      [ns.name, ns.id, ns.description, ns.retentionMs],
    );
    return rowCount === 1;
  }

  async saveDeployment(row: DeploymentRow): Promise<void> {
    await this.pool.query(
      `insert into ${T}.worker_deployments (namespace, name, state) values ($1, $2, $3)
       on conflict (namespace, name) do update set state = excluded.state`,
      [row.namespace, row.name, row.state],
    );
  }

  async loadDeployments(): Promise<DeploymentRow[]> {
    const { rows } = await this.pool.query(`select namespace, name, state::text as state from ${T}.worker_deployments`);
    return rows as DeploymentRow[];
  }

  /** Visibility: runs of a namespace matching a compiled WHERE clause (see engine/visibility.ts). */
  async queryExecutions(sql: string, values: unknown[]): Promise<pg.QueryResultRow[]> {
    const { rows } = await this.pool.query(sql, values);
    return rows;
  }
}

export const EXECUTIONS_TABLE = `${T}.executions`;

/** An execution row as a JSON object for jsonb_to_recordset; `state` is embedded as is. */
function executionJson(e: ExecutionRow): string {
  const fields = {
    run_id: e.runId,
    namespace: e.namespace,
    workflow_id: e.workflowId,
    workflow_type: e.workflowType,
    task_queue: e.taskQueue,
    status: e.status,
    start_ms: e.startTime,
    execution_ms: e.executionTime,
    close_ms: e.closeTime,
    history_length: e.historyLength,
    memo: e.memo?.toString('base64') ?? null,
    search_attributes: e.searchAttributes?.toString('base64') ?? null,
    parent_workflow_id: e.parentWorkflowId,
    parent_run_id: e.parentRunId,
    wake_at: e.wakeAt,
    resident: e.resident,
    if_workflow_id_unused: e.ifWorkflowIdUnused ?? null,
  };
  return `${JSON.stringify(fields).slice(0, -1)},"state":${e.state}}`;
}
