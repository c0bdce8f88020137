/**
 * Worker deployments (worker versioning): a versioned worker polls as a version (deployment
 * name + build id) of a deployment, which makes the version and its task queues known. Tasks of
 * a deployment's task queues go to the pollers of its current version (unversioned pollers while
 * it has none); a run pinned to a version (its workflow task completed with behavior PINNED)
 * stays on that version's pollers, an auto-upgrade one follows the current version. The routing
 * is decided when a task is offered; setting a new current version moves waiting tasks over.
 */
import { failedPrecondition, notFound } from '../grpc/errors.ts';
import { timestamp, type Msg } from '../proto.ts';
import type { DeploymentRow, Store } from '../store/store.ts';
import { Matching } from './matching.ts';

export const VERSIONED = 'WORKER_VERSIONING_MODE_VERSIONED';
export const PINNED = 'VERSIONING_BEHAVIOR_PINNED';

/** A run's versioning, from its last workflow task completed by a versioned worker. */
export interface RunVersioning {
  behavior: string;
  deploymentName: string;
  buildId: string;
}

interface Deployment {
  name: string;
  createTime: number;
  currentBuildId?: string;
  currentSince?: number;
  revision: number;
  lastModifierIdentity?: string;
  versions: Record<string, { createTime: number; taskQueues: string[] }>;
}

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;

export class Deployments {
  private readonly byName = new Map<string, Deployment>();
  /** namespace + task queue -> the deployment it belongs to. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly store: Store) {}

  load(rows: DeploymentRow[]): void {
    for (const row of rows) this.remember(row.namespace, JSON.parse(row.state) as Deployment);
  }

  private remember(namespace: string, d: Deployment): void {
    this.byName.set(key(namespace, d.name), d);
    for (const v of Object.values(d.versions)) for (const q of v.taskQueues) this.owners.set(key(namespace, q), d.name);
  }

  /** The matching queue of a versioned poller. */
  static pollerQueue(base: string, deploymentName: string, buildId: string): string {
    return `${base}\u0001${deploymentName}:${buildId}`;
  }

  /** A versioned worker polled `taskQueue`: its deployment, version and task queue are known from now on. */
  async notePoller(namespace: string, taskQueue: string, deploymentName: string, buildId: string, now: number): Promise<void> {
    let d = this.byName.get(key(namespace, deploymentName));
    if (d?.versions[buildId]?.taskQueues.includes(taskQueue)) return;
    d ??= { name: deploymentName, createTime: now, revision: 0, versions: {} };
    const version = (d.versions[buildId] ??= { createTime: now, taskQueues: [] });
    version.taskQueues.push(taskQueue);
    this.remember(namespace, d);
    await this.store.saveDeployment({ namespace, name: d.name, state: JSON.stringify(d) });
  }

  /** Where a task of `taskQueue` goes: the base queue key, or a version's. */
  route(namespace: string, kind: 'workflow' | 'activity', taskQueue: string, versioning: RunVersioning | undefined): string {
    const base = Matching.key(namespace, kind, taskQueue);
    if (!this.byName.size) return base;
    if (versioning?.behavior === PINNED) return Deployments.pollerQueue(base, versioning.deploymentName, versioning.buildId);
    const owner = this.owners.get(key(namespace, taskQueue));
    const current = owner ? this.byName.get(key(namespace, owner))?.currentBuildId : undefined;
    return owner && current ? Deployments.pollerQueue(base, owner, current) : base;
  }

  describe(namespace: string, name: string): Msg {
    const d = this.require(namespace, name);
    return { conflictToken: token(d), workerDeploymentInfo: { name: d.name, createTime: timestamp(d.createTime), versionSummaries: Object.keys(d.versions).map((b) => summary(d, b)), routingConfig: routing(d), lastModifierIdentity: d.lastModifierIdentity } };
  }

  list(namespace: string): Msg {
    const deployments = [...this.byName.entries()].filter(([k]) => k.startsWith(`${namespace}\u0000`)).map(([, d]) => d);
    return {
      workerDeployments: deployments.map((d) => {
        const latest = Object.entries(d.versions).sort((a, b) => b[1].createTime - a[1].createTime)[0]?.[0];
        return {
          name: d.name,
          createTime: timestamp(d.createTime),
          routingConfig: routing(d),
          currentVersionSummary: d.currentBuildId ? summary(d, d.currentBuildId) : undefined,
          latestVersionSummary: latest ? summary(d, latest) : undefined,
        };
      }),
    };
  }

  /**
   * Makes `buildId` the current version (none: unversioned pollers). Answers with the previous
   * one, and names the queues whose waiting tasks were routed to it (`rerouted`).
   */
  async setCurrent(namespace: string, req: Msg, now: number): Promise<{ answer: Msg; rerouted: string[] }> {
    const d = this.require(namespace, req.deploymentName);
    if (req.conflictToken?.length && !Buffer.from(req.conflictToken).equals(token(d))) throw failedPrecondition('Conflict token does not match: the deployment changed meanwhile.');
    const version: string = req.buildId ?? (req.version && req.version !== '__unversioned__' ? String(req.version).slice(d.name.length + 1) : '');
    if (version && !d.versions[version] && !req.allowNoPollers) throw failedPrecondition(`Version ${version} of deployment ${d.name} has no pollers.`);
    const previous = d.currentBuildId;
    const taskQueues = [...new Set(Object.values(d.versions).flatMap((v) => v.taskQueues))];
    d.currentBuildId = version || undefined;
    d.currentSince = now;
    d.revision++;
    d.lastModifierIdentity = req.identity;
    await this.store.saveDeployment({ namespace, name: d.name, state: JSON.stringify(d) });
    const bases = taskQueues.flatMap((tq) => [Matching.key(namespace, 'workflow', tq), Matching.key(namespace, 'activity', tq)]);
    return {
      answer: {
        conflictToken: token(d),
        previousVersion: previous ? `${d.name}.${previous}` : '__unversioned__',
        previousDeploymentVersion: previous ? { deploymentName: d.name, buildId: previous } : undefined,
      },
      rerouted: previous ? bases.map((base) => Deployments.pollerQueue(base, d.name, previous)) : bases,
    };
  }

  private require(namespace: string, name: string): Deployment {
    const d = this.byName.get(key(namespace, name ?? ''));
    if (!d) throw notFound(`Worker Deployment not found: ${name}`);
    return d;
  }
}

const token = (d: Deployment) => Buffer.from(String(d.revision));

function routing(d: Deployment): Msg {
  return {
    currentDeploymentVersion: d.currentBuildId ? { deploymentName: d.name, buildId: d.currentBuildId } : undefined,
    currentVersion: d.currentBuildId ? `${d.name}.${d.currentBuildId}` : '__unversioned__',
    currentVersionChangedTime: d.currentSince ? timestamp(d.currentSince) : undefined,
    revisionNumber: d.revision,
  };
}

function summary(d: Deployment, buildId: string): Msg {
  const current = d.currentBuildId === buildId;
  return {
    version: `${d.name}.${buildId}`,
    deploymentVersion: { deploymentName: d.name, buildId },
    status: current ? 'WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT' : 'WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE',
    createTime: timestamp(d.versions[buildId].createTime),
    currentSinceTime: current && d.currentSince ? timestamp(d.currentSince) : undefined,
  };
}

/** The versioning of a workflow task completion, when the worker polls as a deployment version. */
export function completionVersioning(req: Msg): RunVersioning | undefined {
  const options = req.deploymentOptions;
  if (options?.workerVersioningMode !== VERSIONED || !options.deploymentName || !options.buildId) return undefined;
  return { behavior: req.versioningBehavior ?? 'VERSIONING_BEHAVIOR_UNSPECIFIED', deploymentName: options.deploymentName, buildId: options.buildId };
}

/**
 * The BuildIds search attribute after a task completed by version `v`, as the real server keeps
 * it: "pinned:<deployment>:<build>" first while pinned, then every "versioned:<build>" seen.
 * Undefined when it does not change.
 */
export function buildIdsAttribute(current: Msg | undefined, v: RunVersioning): Msg | undefined {
  const previous: string[] = current?.data?.length ? JSON.parse(Buffer.from(current.data).toString()) : [];
  const versioned = [...new Set([...previous.filter((x) => x.startsWith('versioned:')), `versioned:${v.buildId}`])];
  const next = [...(v.behavior === PINNED ? [`pinned:${v.deploymentName}:${v.buildId}`] : []), ...versioned];
  if (JSON.stringify(next) === JSON.stringify(previous)) return undefined;
  return { metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from('KeywordList') }, data: Buffer.from(JSON.stringify(next)) };
}
