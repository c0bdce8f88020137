import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../context.ts';
import type { JobRow } from '../../../db/repositories/jobs.ts';
import { listExecutions, type ExecutionFilter } from '../../../db/repositories/executions.ts';
import { executionView } from '../../../db/repositories/job-views.ts';

/** Rows read per query: the history is written out as it is read, never held whole. */
const BATCH = 1_000;
const COLUMNS = ['id', 'runId', 'attempt', 'trigger', 'status', 'scheduledFor', 'startedAt', 'finishedAt', 'durationMs', 'latenessMs', 'statusCode', 'error'] as const;

/**
 * A job's history (filtered as the list is), newest first, as CSV with a header row or as NDJSON:
 * the columns of the list, without request and response bodies.
 */
export async function exportExecutions(ctx: AppContext, job: JobRow, filter: Omit<ExecutionFilter, 'limit' | 'offset'>, format: 'csv' | 'ndjson', res: Response): Promise<void> {
  // attachment() types by the file's extension (none for .ndjson): the type is set after it.
  res.attachment(`${job.key}-executions.${format}`);
  res.type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
  if (format === 'csv') res.write(stringify([COLUMNS]));
  for (let offset = 0; ; offset += BATCH) {
    const { items } = await listExecutions(ctx.db, job.id, { ...filter, limit: BATCH, offset });
    const rows = items.map((row) => {
      const view = executionView(row);
      return COLUMNS.map((column) => view[column] ?? null);
    });
    if (format === 'csv') res.write(stringify(rows));
    else for (const values of rows) res.write(`${JSON.stringify(Object.fromEntries(COLUMNS.map((column, i) => [column, values[i]])))}\n`);
    if (items.length < BATCH) break;
  }
  res.end();
}
