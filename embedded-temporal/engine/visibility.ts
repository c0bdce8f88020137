/**
 * List and Count over the executions table, with a subset of the visibility query language:
 * comparisons (=, !=, <, <=, >, >=), IN (...), STARTS_WITH, BETWEEN ... AND ..., IS [NOT] NULL,
 * AND / OR / parentheses, ORDER BY, and for counts GROUP BY ExecutionStatus, over WorkflowId,
 * RunId, WorkflowType, ExecutionStatus, TaskQueue, StartTime, CloseTime, ExecutionTime,
 * HistoryLength and the namespace's custom search attributes, compared as their type says (an
 * Int as a number, a Datetime as a time; `=` on a Text finds a phrase in it, on a KeywordList
 * one of its values). The query is compiled to SQL with every value bound as a parameter.
 */
import { invalidArgument } from '../grpc/errors.ts';
import { decode, enumName, timestamp, type Msg } from '../proto.ts';
import { EXECUTIONS_TABLE } from '../store/store.ts';
import type { Engine } from './engine.ts';
import { STANDALONE_ACTIVITY_ID_PREFIX } from './standalone-activities.ts';

const STATUS_ENUM = 'temporal.api.enums.v1.WorkflowExecutionStatus';
const STATUS_NAMES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];

type Kind = 'text' | 'time' | 'int' | 'double' | 'bool' | 'status' | 'fulltext' | 'list';

type Columns = Record<string, { column: string; kind: Kind }>;

const COLUMNS: Columns = {
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

/** What ListSchedules' query may name besides custom attributes (see matchingSchedules). */
const SCHEDULE_COLUMNS: Columns = {
  ScheduleId: { column: 'schedule_id', kind: 'text' },
  TemporalSchedulePaused: { column: 'paused', kind: 'bool' },
};

/** A custom attribute's kind, from its IndexedValueType. */
const CUSTOM_KINDS: Record<string, Kind> = {
  INDEXED_VALUE_TYPE_KEYWORD: 'text',
  INDEXED_VALUE_TYPE_TEXT: 'fulltext',
  INDEXED_VALUE_TYPE_INT: 'int',
  INDEXED_VALUE_TYPE_DOUBLE: 'double',
  INDEXED_VALUE_TYPE_BOOL: 'bool',
  INDEXED_VALUE_TYPE_DATETIME: 'time',
  INDEXED_VALUE_TYPE_KEYWORD_LIST: 'list',
};

/** SQL casts of a custom attribute's scalar value, by kind. */
const CASTS: Partial<Record<Kind, string>> = { int: 'numeric', double: 'numeric', bool: 'boolean', time: 'timestamptz' };

/** Operators the kinds that take few of them take (the rest are refused, as the real server does). */
const OPERATORS: Partial<Record<Kind, string[]>> = {
  fulltext: ['=', '!='],
  bool: ['=', '!='],
  list: ['=', '!=', 'IN'],
};

interface Field {
  name: string;
  /** SQL of the value; for a KeywordList, its JSON array. */
  sql: string;
  kind: Kind;
  /** For a custom attribute: its JSON value, to test for NULL. */
  raw?: string;
}

class Compiler {
  private i = 0;
  readonly values: unknown[];

  constructor(
    private readonly tokens: Token[],
    firstParam: unknown[],
    /** The namespace's search attributes: name -> IndexedValueType (those not in `columns` are read from the run's state). */
    private readonly attributes: Record<string, string>,
    private readonly columns: Columns,
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

  /** A search attribute named in the query: a column, or an attribute kept in the run's state (custom ones, and predefined ones such as TemporalScheduledById). */
  private field(token: Token): Field {
    const col = this.columns[token.value];
    if (token.type === 'word' && col) return { name: token.value, sql: col.column, kind: col.kind };
    const type = token.type === 'word' ? this.attributes[token.value] : undefined;
    if (!type) throw invalidArgument(`invalid query: unknown or unsupported search attribute ${token.value}`);
    this.values.push(token.value);
    // The run's state keeps payload bytes as base64 ({"$b": ...}, see execution.ts); the data is JSON.
    const raw = `convert_from(decode(state #>> array['searchAttributes','indexedFields',$${this.values.length}::text,'data','$b'], 'base64'), 'UTF8')::jsonb`;
    const kind = CUSTOM_KINDS[type];
    if (kind === 'list') return { name: token.value, sql: raw, kind, raw };
    // The legacy untyped API sends any value as a one-value list.
    const text = `coalesce(${raw} ->> 0, ${raw} #>> '{}')`;
    return { name: token.value, sql: CASTS[kind] ? `(${text})::${CASTS[kind]}` : text, kind, raw };
  }

  private requireOperator(field: Field, op: string): void {
    const allowed = OPERATORS[field.kind];
    if (allowed && !allowed.includes(op)) throw invalidArgument(`invalid query: operator ${op} is not supported for ${field.name}`);
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
    const field = this.field(this.next());
    if (this.peekWord('IS')) {
      this.i++;
      const not = this.peekWord('NOT');
      if (not) this.i++;
      this.expectWord('NULL');
      return `${field.raw ?? field.sql} is ${not ? 'not ' : ''}null`;
    }
    if (this.peekWord('IN', 'NOT')) {
      const not = this.peekWord('NOT');
      if (not) this.i++;
      this.expectWord('IN');
      this.requireOperator(field, 'IN');
      if (this.next().value !== '(') throw invalidArgument('invalid query: expected (');
      const raws: string[] = [];
      for (;;) {
        raws.push(this.next().value);
        const sep = this.next();
        if (sep.value === ')') break;
        if (sep.value !== ',') throw invalidArgument('invalid query: expected , or )');
      }
      if (field.kind === 'list') {
        this.values.push(raws);
        return `${not ? 'not ' : ''}(${field.sql} ?| $${this.values.length}::text[])`;
      }
      return `${field.sql} ${not ? 'not in' : 'in'} (${raws.map((raw) => this.param(field.kind, raw)).join(', ')})`;
    }
    if (this.peekWord('STARTS_WITH')) {
      this.i++;
      if (field.kind !== 'text') throw invalidArgument(`invalid query: STARTS_WITH is supported for Keyword attributes only, not ${field.name}`);
      const prefix = this.next().value.replace(/[\\%_]/g, '\\$&');
      this.values.push(`${prefix}%`);
      return `${field.sql} like $${this.values.length}`;
    }
    if (this.peekWord('BETWEEN')) {
      this.i++;
      this.requireOperator(field, 'BETWEEN');
      const low = this.param(field.kind, this.next().value);
      this.expectWord('AND');
      return `${field.sql} between ${low} and ${this.param(field.kind, this.next().value)}`;
    }
    const op = this.next();
    if (op.type !== 'op') throw invalidArgument(`invalid query: expected an operator after ${field.name}`);
    this.requireOperator(field, op.value);
    const value = this.param(field.kind, this.next().value);
    const not = op.value === '!=' ? 'not ' : '';
    if (field.kind === 'fulltext') return `${not}(to_tsvector('simple', ${field.sql}) @@ phraseto_tsquery('simple', ${value}))`;
    if (field.kind === 'list') return `${not}(${field.sql} ? ${value})`;
    return `${field.sql} ${op.value === '!=' ? '<>' : op.value} ${value}`;
  }

  private param(kind: Kind, raw: string): string {
    let value: unknown = raw;
    if (kind === 'status') {
      const index = STATUS_NAMES.findIndex((n) => n.toLowerCase() === raw.toLowerCase());
      if (index < 0) throw invalidArgument(`invalid ExecutionStatus value ${raw}`);
      value = index + 1;
    } else if (kind === 'time') {
      const date = new Date(raw);
      if (Number.isNaN(date.getTime())) throw invalidArgument(`invalid time ${raw}`);
      value = date;
    } else if (kind === 'int' || kind === 'double') {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || (kind === 'int' && !Number.isInteger(value))) throw invalidArgument(`invalid ${kind === 'int' ? 'Int' : 'Double'} value ${raw}`);
    } else if (kind === 'bool') {
      if (!/^(true|false)$/i.test(raw)) throw invalidArgument(`invalid Bool value ${raw}`);
      value = raw.toLowerCase() === 'true';
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
      const field = this.field(this.next());
      if (field.kind === 'fulltext' || field.kind === 'list') throw invalidArgument(`invalid query: unable to sort by ${field.name}: a Text or KeywordList attribute cannot be sorted, use a Keyword one`);
      const dir = this.peekWord('ASC', 'DESC') ? this.next().value.toLowerCase() : 'asc';
      // Runs without the attribute come last either way, as on the real server.
      parts.push(`${field.sql} ${dir}${field.raw ? ' nulls last' : ''}`);
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

/**
 * `activities`: runs are listed either as workflows or as standalone activities (hidden runs),
 * never both; schedules (`columns` of their own) have no such runs and leave it out.
 */
function compile(engine: Engine, namespace: string, query: string | undefined, { columns = COLUMNS, activities }: { columns?: Columns; activities?: boolean } = {}) {
  const values: unknown[] = [namespace];
  let scope = '';
  if (activities !== undefined) {
    values.push(STANDALONE_ACTIVITY_ID_PREFIX);
    scope = ` and starts_with(workflow_id, $2) = ${activities}`;
  }
  const compiler = new Compiler(tokenize(query ?? ''), values, engine.searchAttributes.types(namespace), columns);
  const startsWithClause = !compiler.done && !/^\s*(order|group)\s+by/i.test(query ?? '');
  const where = startsWithClause ? compiler.where() : 'true';
  return { compiler, where: `namespace = $1${scope} and ${where}`, values };
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
  const { compiler, where, values } = compile(engine, req.namespace, req.query, { activities });
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
  const { compiler, where, values } = compile(engine, req.namespace, req.query, { activities });
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


/**
 * ListSchedules' query over the given schedules (kept in memory, see schedules/): the ids of
 * those that match. The same compiler runs over rows shaped like the executions table's.
 */
export async function matchingSchedules(
  engine: Engine,
  namespace: string,
  query: string,
  schedules: { scheduleId: string; paused: boolean; searchAttributes?: Msg }[],
): Promise<Set<string>> {
  const { compiler, where, values } = compile(engine, namespace, query, { columns: SCHEDULE_COLUMNS });
  if (!compiler.done) throw invalidArgument('invalid query: unexpected trailing tokens');
  const rows = schedules.map((s) => {
    const fields = Object.entries<Msg>(s.searchAttributes?.indexedFields ?? {});
    const indexedFields = Object.fromEntries(fields.map(([name, p]) => [name, { data: { $b: Buffer.from(p.data ?? []).toString('base64') } }]));
    return { namespace, schedule_id: s.scheduleId, paused: s.paused, state: { searchAttributes: { indexedFields } } };
  });
  values.push(JSON.stringify(rows));
  const matching = await engine.store.queryExecutions(
    `select schedule_id from jsonb_to_recordset($${values.length}::jsonb) as x(namespace text, schedule_id text, paused boolean, state jsonb) where ${where}`,
    values,
  );
  return new Set(matching.map((r) => r.schedule_id as string));
}
