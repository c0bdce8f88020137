/**
 * Nexus endpoints (OperatorService Create/Get/List/Update/DeleteNexusEndpoint): a name a workflow
 * calls, routed to a worker target (namespace + task queue). Kept in memory, written through to
 * their own table next to the runs' tables. Validation and messages are the real server's.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { failedPrecondition, invalidArgument, notFound, RpcError } from '../grpc/errors.ts';
import { SCHEMA } from '../store/schema.ts';
import { timestamp, type Msg } from '../proto.ts';
import { status } from '@grpc/grpc-js';

const DDL = `
create schema if not exists ${SCHEMA};
create table if not exists ${SCHEMA}.nexus_endpoints (
  id text primary key,
  doc jsonb not null
);
`;

const NAME = /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/;
const MAX_PAGE_SIZE = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NexusEndpoint {
  id: string;
  version: number;
  createdTime: number;
  lastModifiedTime: number;
  /** EndpointSpec, description payload's bytes as base64. */
  spec: Msg;
}

export class NexusEndpoints {
  private pool: pg.Pool | undefined;
  private readonly byId_ = new Map<string, NexusEndpoint>();

  /** Opens the table and loads the endpoints. */
  async open(url: string): Promise<void> {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.pool.on('error', () => {});
    await this.pool.query(DDL);
    const { rows } = await this.pool.query(`select doc from ${SCHEMA}.nexus_endpoints`);
    for (const { doc } of rows) this.byId_.set(doc.id, fromDoc(doc));
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }

  byId(id: string): NexusEndpoint | undefined {
    return this.byId_.get(id);
  }

  /** The endpoint a workflow names; undefined when no endpoint has that name. */
  byName(name: string): NexusEndpoint | undefined {
    for (const e of this.byId_.values()) if (e.spec.name === name) return e;
    return undefined;
  }

  async create(spec: Msg | undefined, namespaceExists: (name: string) => boolean, now: number): Promise<Msg> {
    const checked = validateSpec(spec, namespaceExists);
    if (this.byName(checked.name)) {
      throw new RpcError(status.ALREADY_EXISTS, `error creating Nexus endpoint. Endpoint with name ${checked.name} already registered`);
    }
    const endpoint: NexusEndpoint = { id: randomUUID(), version: 1, createdTime: now, lastModifiedTime: now, spec: checked };
    await this.save(endpoint);
    return toApi(endpoint);
  }

  async update(req: Msg, namespaceExists: (name: string) => boolean, now: number): Promise<Msg> {
    checkId(req.id);
    const spec = validateSpec(req.spec, namespaceExists);
    const previous = this.byId_.get(req.id);
    if (!previous) throw notFound(`error updating Nexus endpoint. endpoint ID ${req.id} not found`);
    if (Number(req.version) !== previous.version) throw failedPrecondition(`nexus endpoint version mismatch. received: ${req.version} expected ${previous.version}`);
    const other = this.byName(spec.name);
    if (other && other.id !== previous.id) {
      throw new RpcError(status.ALREADY_EXISTS, `error updating Nexus endpoint. Endpoint with name ${spec.name} already registered`);
    }
    const endpoint = { ...previous, version: previous.version + 1, lastModifiedTime: now, spec };
    await this.save(endpoint);
    return toApi(endpoint);
  }

  async delete(req: Msg): Promise<void> {
    checkId(req.id);
    if (!(Number(req.version) > 0)) throw invalidArgument('endpoint version is non-positive');
    const endpoint = this.byId_.get(req.id);
    if (!endpoint) throw notFound(`error deleting nexus endpoint with ID: ${req.id}`);
    if (Number(req.version) !== endpoint.version) throw failedPrecondition(`nexus endpoint version mismatch. received: ${req.version} expected ${endpoint.version}`);
    await this.pool!.query(`delete from ${SCHEMA}.nexus_endpoints where id = $1`, [req.id]);
    this.byId_.delete(req.id);
  }

  get(id: string): Msg {
    checkId(id);
    const endpoint = this.byId_.get(id);
    if (!endpoint) throw notFound(`error looking up Nexus endpoint with ID \`${id}\``);
    return toApi(endpoint);
  }

  /** Ordered by id, as the real server's table; the page token is the last id of the page. */
  list(req: Msg): Msg {
    const all = [...this.byId_.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (req.name) return { endpoints: all.filter((e) => e.spec.name === req.name).map(toApi) };
    const pageSize = Number(req.pageSize ?? 0) || 100;
    if (pageSize < 0) throw invalidArgument('page_size is negative');
    if (pageSize > MAX_PAGE_SIZE) throw invalidArgument(`page_size exceeds limit of ${MAX_PAGE_SIZE}`);
    const after = req.nextPageToken?.length ? req.nextPageToken.toString() : '';
    const rest = all.filter((e) => e.id > after);
    const page = rest.slice(0, pageSize);
    return { endpoints: page.map(toApi), nextPageToken: rest.length > pageSize ? Buffer.from(page[page.length - 1].id) : undefined };
  }

  private async save(endpoint: NexusEndpoint): Promise<void> {
    const doc = { ...endpoint, spec: { ...endpoint.spec, description: toDoc(endpoint.spec.description) } };
    await this.pool!.query(
      `insert into ${SCHEMA}.nexus_endpoints (id, doc) values ($1, $2) on conflict (id) do update set doc = excluded.doc`,
      [endpoint.id, JSON.stringify(doc)],
    );
    this.byId_.set(endpoint.id, endpoint);
  }
}

function checkId(id: string | undefined): void {
  if (!id) throw invalidArgument('endpoint ID not set');
  if (!UUID.test(id)) throw invalidArgument(`malformed endpoint ID: "invalid UUID format"`);
}

function validateSpec(spec: Msg | undefined, namespaceExists: (name: string) => boolean): Msg {
  const name: string = spec?.name ?? '';
  if (!name) throw invalidArgument('endpoint name not set');
  if (name.length > 200) throw invalidArgument('endpoint name exceeds length limit of 200');
  if (!NAME.test(name)) throw invalidArgument(`endpoint name must match the regex: "${NAME.source}"`);
  const target = spec!.target;
  if (target?.worker) {
    if (!target.worker.namespace) throw invalidArgument('target namespace not set');
    if (!namespaceExists(target.worker.namespace)) {
      throw failedPrecondition(`could not verify namespace referenced by target exists: Namespace ${target.worker.namespace} is not found.`);
    }
    if (!target.worker.taskQueue) throw invalidArgument('invalid target task queue: "taskQueue is not set"');
  } else if (target?.external) {
    const url = String(target.external.url ?? '');
    if (!url) throw invalidArgument('empty target URL');
    if (!/^https?:\/\//.test(url)) throw invalidArgument(`invalid target URL scheme: "${url.split(':')[0]}", expected http or https`);
  } else {
    throw invalidArgument('empty target variant');
  }
  return { name, description: spec!.description, target };
}

function toApi(e: NexusEndpoint): Msg {
  return {
    id: e.id,
    version: e.version,
    spec: e.spec,
    createdTime: timestamp(e.createdTime),
    // As the real server: only once the endpoint was modified.
    lastModifiedTime: e.version > 1 ? timestamp(e.lastModifiedTime) : undefined,
    urlPrefix: `/nexus/endpoints/${e.id}/services`,
  };
}

/** A description payload (bytes) as JSON, and back. */
function toDoc(payload: Msg | undefined): Msg | undefined {
  if (!payload) return undefined;
  const metadata = Object.fromEntries(Object.entries<Buffer>(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { metadata, data: payload.data ? Buffer.from(payload.data).toString('base64') : undefined };
}

function fromDoc(doc: Msg): NexusEndpoint {
  const d = doc.spec.description;
  const description = d
    ? { metadata: Object.fromEntries(Object.entries<string>(d.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: d.data ? Buffer.from(d.data, 'base64') : undefined }
    : undefined;
  return { ...doc, spec: { ...doc.spec, description } } as NexusEndpoint;
}
