/**
 * The server's tables, in their own schema so they can share a database with the app.
 * Idempotent: run on every start.
 *
 * - executions: one row per run; visibility columns for List/Count, and `state`, the run's
 *   mutable state as JSON (pending activities, timers, children, buffered events...); its next
 *   deadline (`wake_at`, ms) and whether it has work in flight (`resident`; null when written by
 *   a server from before these columns, and then read whole).
 * - history_events: the event history, one encoded HistoryEvent per row.
 * - worker_deployments: worker deployments, their versions and current version, as JSON.
 */
export const SCHEMA = 'temporal';

export const DDL = `
create schema if not exists ${SCHEMA};
create table if not exists ${SCHEMA}.namespaces (
  name text primary key,
  id text not null,
  description text not null default '',
  retention_ms bigint not null default 86400000,
  created_at timestamptz not null default now()
);
create table if not exists ${SCHEMA}.executions (
  run_id text primary key,
  namespace text not null,
  workflow_id text not null,
  workflow_type text not null,
  task_queue text not null,
  status smallint not null,
  start_time timestamptz not null,
  execution_time timestamptz not null,
  close_time timestamptz,
  history_length integer not null,
  memo bytea,
  search_attributes bytea,
  parent_workflow_id text,
  parent_run_id text,
  state jsonb not null
);
create index if not exists executions_by_workflow on ${SCHEMA}.executions (namespace, workflow_id, start_time desc);
create index if not exists executions_by_start on ${SCHEMA}.executions (namespace, start_time desc);
create index if not exists executions_open on ${SCHEMA}.executions (status) where status = 1;
-- Recovery reads only these of an open run with nothing in flight (see engine/deadlines.ts).
alter table ${SCHEMA}.executions add column if not exists wake_at bigint, add column if not exists resident boolean;
create table if not exists ${SCHEMA}.history_events (
  run_id text not null,
  event_id integer not null,
  data bytea not null,
  primary key (run_id, event_id)
);
create table if not exists ${SCHEMA}.worker_deployments (
  namespace text not null,
  name text not null,
  state jsonb not null,
  primary key (namespace, name)
);
`;
