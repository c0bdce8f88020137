/**
 * List and Count over the executions table, with a subset of the visibility query language:
 * comparisons (=, !=, <, <=, >, >=), IN (...), STARTS_WITH, BETWEEN ... AND ..., IS [NOT] NULL,
 * AND / OR / parentheses, ORDER BY, and for counts GROUP BY ExecutionStatus, over WorkflowId,
 * RunId, WorkflowType, ExecutionStatus, TaskQueue, StartTime, CloseTime, ExecutionTime, HistoryLength.
 * The query is compiled to SQL with every value bound as a parameter.
 */
import { invalidArgument } from '../grpc/errors.ts';
import { decode, enumName, timestamp, type Msg } from '../proto.ts';
import { EXECUTIONS_TABLE } from '../store/store.ts';
import type { Engine } from './engine.ts';
import { STANDALONE_ACTIVITY_ID_PREFIX } from './standalone-activities.ts';

const STATUS_ENUM = 'temporal.api.enums.v1.WorkflowExecutionStatus';
const STATUS_NAMES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];

const COLUMNS: Record<string, { column: string; kind: 'text' | 'time' | 'int' | 'status' }> = {
  WorkflowId: { column: 'workflow_id', kind: 'text' },
  RunId: { column: 'run_id', kind: 'text' },
  WorkflowType: { column: 'workflow_type', kind: 'text' },
  TaskQueue: { column: 'task_queue', kind: 'text' },
  ExecutionStatus: { column: 'status', kind: 'status' },
  StartTime: { column: 'start_time', kind: 'time' },
  CloseTime: { column: 'close_time', kind: 'time' },
  ExecutionTime: { column: 'execution_time', kind: 'time' },
  HistoryLength: { column: 'history_length', kind: 'int' },
  // Standalone activities' runs (standalone-activities.ts): their id behind a prefix, their type.
  ActivityId: { column: `substr(workflow_id, ${STANDALONE_ACTIVITY_ID_PREFIX.length + 1})`, kind: 'text' },
  ActivityType: { column: 'workflow_type', kind: 'text' },
};

type Token = { type: 'word' | 'string' | 'op' | 'punct'; value: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(!=|<=|>=|=|<|>)|([(),])|(-?\d+(?:\.\d+)?))/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < query.length && (match = re.exec(query))) {
    if (match[1]) tokens.push({ type: 'word', value: match[1].replace(/`/g, '') });
    else if (match[2] !== undefined || match[3] !== undefined) tokens.push({ type: 'string', value: match[2] ?? match[3] });
    else if (match[4]) tokens.push({ type: 'op', value: match[4] });
    else if (match[5]) tokens.push({ type: 'punct', value: match[5] });
    else if (match[6]) tokens.push({ type: 'string', value: match[6] });
    if (/^\s*$/.test(query.slice(re.lastIndex))) break;
  }
  if (re.lastIndex < query.trim().length && !/^\s*$/.test(query.slice(re.lastIndex))) throw invalidArgument(`invalid query near "${query.slice(re.lastIndex)}"`);
  return tokens;
}

class Compiler {
  private i = 0;
  readonly values: unknown[];

  constructor(
    private readonly tokens: Token[],
    firstParam: unknown[],
  ) {
    this.values = firstParam;
  }

  private peekWord(...words: string[]): boolean {
    const t = this.tokens[this.i];
    return !!t && t.type === 'word' && words.includes(t.value.toUpperCase());
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw invalidArgument('invalid query: unexpected end');
    return t;
  }

  private expectWord(word: string): void {
    const t = this.next();
    if (t.type !== 'word' || t.value.toUpperCase() !== word) throw invalidArgument(`invalid query: expected ${word}`);
  }

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  where(): string {
    let sql = this.and();
    while (this.peekWord('OR')) {
      this.i++;
      sql = `(${sql} or ${this.and()})`;
    }
    return sql;
  }

  private and(): string {
    let sql = this.atom();
    while (this.peekWord('AND')) {
      this.i++;
      sql = `(${sql} and ${this.atom()})`;
    }
    return sql;
  }

  private atom(): string {
    const t = this.tokens[this.i];
    if (t?.type === 'punct' && t.value === '(') {
      this.i++;
      const sql = this.where();
      const close = this.next();
      if (close.value !== ')') throw invalidArgument('invalid query: expected )');
      return `(${sql})`;
    }
    const field = this.next();
    const col = COLUMNS[field.value];
    if (field.type !== 'word' || !col) throw invalidArgument(`invalid query: unknown or unsupported search attribute ${field.value}`);
    if (this.peekWord('IS')) {
      this.i++;
      const not = this.peekWord('NOT');
      if (not) this.i++;
      this.expectWord('NULL');
      return `${col.column} is ${not ? 'not ' : ''}null`;
    }
    if (this.peekWord('IN', 'NOT')) {
      const not = this.peekWord('NOT');
      if (not) this.i++;
      this.expectWord('IN');
      if (this.next().value !== '(') throw invalidArgument('invalid query: expected (');
      const params: string[] = [];
      for (;;) {
        params.push(this.param(col.kind, this.next().value));
        const sep = this.next();
        if (sep.value === ')') break;
        if (sep.value !== ',') throw invalidArgument('invalid query: expected , or )');
      }
      return `${col.column} ${not ? 'not in' : 'in'} (${params.join(', ')})`;
    }
    if (this.peekWord('STARTS_WITH')) {
      this.i++;
      const prefix = this.next().value.replace(/[\\%_]/g, '\\$&');
      this.values.push(`${prefix}%`);
      return `${col.column} like $${this.values.length}`;
    }
    if (this.peekWord('BETWEEN')) {
      this.i++;
      const low = this.param(col.kind, this.next().value);
      this.expectWord('AND');
      return `${col.column} between ${low} and ${this.param(col.kind, this.next().value)}`;
    }
    const op = this.next();
    if (op.type !== 'op') throw invalidArgument(`invalid query: expected an operator after ${field.value}`);
    return `${col.column} ${op.value === '!=' ? '<>' : op.value} ${this.param(col.kind, this.next().value)}`;
  }

  private param(kind: string, raw: string): string {
    let value: unknown = raw;
    if (kind === 'status') {
      const index = STATUS_NAMES.findIndex((n) => n.toLowerCase() === raw.toLowerCase());
      if (index < 0) throw invalidArgument(`invalid ExecutionStatus value ${raw}`);
      value = index + 1;
    } else if (kind === 'time') {
      const date = new Date(raw);
      if (Number.isNaN(date.getTime())) throw invalidArgument(`invalid time ${raw}`);
      value = date;
    } else if (kind === 'int') {
      value = Number(raw);
    }
    this.values.push(value);
    return `$${this.values.length}`;
  }

  orderBy(): string {
    if (!this.peekWord('ORDER')) return 'start_time desc, run_id';
    this.i++;
    this.expectWord('BY');
    const parts: string[] = [];
    do {
      if (parts.length) this.i++;
      const col = COLUMNS[this.next().value];
      if (!col) throw invalidArgument('invalid query: unknown ORDER BY field');
      const dir = this.peekWord('ASC', 'DESC') ? this.next().value.toLowerCase() : 'asc';
      parts.push(`${col.column} ${dir}`);
    } while (this.tokens[this.i]?.value === ',');
    return [...parts, 'run_id'].join(', ');
  }

  groupBy(): string | undefined {
    if (!this.peekWord('GROUP')) return undefined;
    this.i++;
    this.expectWord('BY');
    const field = this.next().value;
    if (field !== 'ExecutionStatus') throw invalidArgument('GROUP BY supports ExecutionStatus only');
    return 'status';
  }
}

/** `activities`: list standalone activities' runs instead of workflows. */
function compile(namespace: string, query: string | undefined, activities: boolean) {
  const values: unknown[] = [namespace, STANDALONE_ACTIVITY_ID_PREFIX];
  const compiler = new Compiler(tokenize(query ?? ''), values);
  const startsWithClause = !compiler.done && !/^\s*(order|group)\s+by/i.test(query ?? '');
  const where = startsWithClause ? compiler.where() : 'true';
  return { compiler, where: `namespace = $1 and starts_with(workflow_id, $2) = ${activities} and ${where}`, values };
}

function infoFromRow(row: Msg): Msg {
  return {
    execution: { workflowId: row.workflow_id, runId: row.run_id },
    type: { name: row.workflow_type },
    startTime: timestamp(row.start_time.getTime()),
    closeTime: row.close_time ? timestamp(row.close_time.getTime()) : undefined,
    executionTime: timestamp(row.execution_time.getTime()),
    status: enumName(STATUS_ENUM, row.status),
    historyLength: row.history_length,
    taskQueue: row.task_queue,
    memo: row.memo ? decode('temporal.api.common.v1.Memo', row.memo) : undefined,
    searchAttributes: row.search_attributes ? decode('temporal.api.common.v1.SearchAttributes', row.search_attributes) : undefined,
    parentExecution: row.parent_workflow_id ? { workflowId: row.parent_workflow_id, runId: row.parent_run_id } : undefined,
  };
}

export async function listExecutions(engine: Engine, req: Msg, activities = false): Promise<Msg> {
  engine.requireNamespace(req.namespace);
  const { compiler, where, values } = compile(req.namespace, req.query, activities);
  const order = compiler.orderBy();
  if (!compiler.done) throw invalidArgument('invalid query: unexpected trailing tokens');
  const pageSize = Math.min(req.pageSize || 1000, 1000);
  const offset = req.nextPageToken?.length ? Number(req.nextPageToken.toString()) : 0;
  const rows = await engine.store.queryExecutions(
    `select run_id, workflow_id, workflow_type, task_queue, status, start_time, close_time, execution_time,
            history_length, memo, search_attributes, parent_workflow_id, parent_run_id
       from ${EXECUTIONS_TABLE} where ${where} order by ${order} limit ${pageSize + 1} offset ${offset}`,
    values,
  );
  const more = rows.length > pageSize;
  return {
    executions: rows.slice(0, pageSize).map(infoFromRow),
    nextPageToken: more ? Buffer.from(String(offset + pageSize)) : undefined,
  };
}

export async function countExecutions(engine: Engine, req: Msg, activities = false): Promise<Msg> {
  engine.requireNamespace(req.namespace);
  const { compiler, where, values } = compile(req.namespace, req.query, activities);
  const group = compiler.groupBy();
  if (!compiler.done) throw invalidArgument('invalid query: unexpected trailing tokens');
  if (!group) {
    const [row] = await engine.store.queryExecutions(`select count(*)::int as count from ${EXECUTIONS_TABLE} where ${where}`, values);
    return { count: row.count };
  }
  const rows = await engine.store.queryExecutions(
    `select status, count(*)::int as count from ${EXECUTIONS_TABLE} where ${where} group by status order by status`,
    values,
  );
  return {
    count: rows.reduce((sum, r) => sum + r.count, 0),
    groups: rows.map((r) => ({
      groupValues: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(STATUS_NAMES[r.status - 1])) }],
      count: r.count,
    })),
  };
}

