import type { Db } from '../connection.ts';

/** A window of fires as its process registered it: the attempt's task token and its job. */
export interface HeldWindow {
  task_token: Buffer;
  job_id: number;
}

/** One statement for many (windows begin and end in bursts). */
export async function registerWindows(db: Db, windows: Array<{ taskToken: Uint8Array; jobId: number; owner: string }>): Promise<void> {
  const rows = new Map(windows.map((w) => [Buffer.from(w.taskToken).toString('base64'), { task_token: Buffer.from(w.taskToken), job_id: w.jobId, owner: w.owner }]));
  await db('cron_fire_windows').insert([...rows.values()]).onConflict('task_token').merge(['owner']);
}

export async function forgetWindows(db: Db, taskTokens: Uint8Array[]): Promise<void> {
  await db('cron_fire_windows').whereIn('task_token', taskTokens.map((t) => Buffer.from(t))).delete();
}

/** Renews a process's lease; answers whether it had lapsed (the process was taken for dead meanwhile). */
export async function renewOwner(db: Db, owner: string, leaseMs: number): Promise<boolean> {
  const { rows } = await db.raw<{ rows: Array<{ lapsed: boolean }> }>(
    `with before as (select alive_until < now() as lapsed from cron_window_owners where owner = ?)
     insert into cron_window_owners (owner, alive_until) values (?, now() + make_interval(secs => ?))
     on conflict (owner) do update set alive_until = excluded.alive_until
     returning coalesce((select lapsed from before), false) as lapsed`,
    [owner, owner, leaseMs / 1000],
  );
  return rows[0].lapsed;
}

/**
 * Takes the windows whose process's lease lapsed (at most `limit`, none another process is taking),
 * and forgets owners with nothing left. Each is handed back to Temporal by the caller.
 */
export async function takeLapsedWindows(db: Db, limit: number): Promise<HeldWindow[]> {
  const { rows } = await db.raw<{ rows: HeldWindow[] }>(
    `delete from cron_fire_windows where task_token in (
       select w.task_token from cron_fire_windows w
       where not exists (select 1 from cron_window_owners o where o.owner = w.owner and o.alive_until >= now())
       limit ? for update skip locked)
     returning task_token, job_id`,
    [limit],
  );
  await db('cron_window_owners').where('alive_until', '<', db.raw("now() - interval '1 hour'")).whereNotExists(db('cron_fire_windows').whereRaw('cron_fire_windows.owner = cron_window_owners.owner')).delete();
  return rows;
}
