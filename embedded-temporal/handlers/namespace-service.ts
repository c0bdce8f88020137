/** The system and namespace RPCs: what clients and workers ask on connect. */
import { randomUUID } from 'node:crypto';
import { invalidArgument, namespaceAlreadyExists, namespaceNotFound } from '../grpc/errors.ts';
import type { Handlers } from '../grpc/service.ts';
import { duration, ms } from '../proto.ts';
import type { Engine } from '../engine/engine.ts';
import type { NamespaceRow } from '../store/store.ts';

export const SERVER_VERSION = '1.27.0';


function describe(ns: NamespaceRow) {
  return {
    namespaceInfo: {
      name: ns.name,
      state: 'NAMESPACE_STATE_REGISTERED',
      description: ns.description,
      id: ns.id,
      capabilities: { eagerWorkflowStart: true, syncUpdate: true, asyncUpdate: true },
      supportsSchedules: false,
    },
    config: { workflowExecutionRetentionTtl: duration(ns.retentionMs), historyArchivalState: 'ARCHIVAL_STATE_DISABLED', visibilityArchivalState: 'ARCHIVAL_STATE_DISABLED' },
    isGlobalNamespace: false,
  };
}

export function namespaceHandlers(engine: Engine): Handlers {
  return {
    async GetSystemInfo() {
      return {
        serverVersion: SERVER_VERSION,
        capabilities: {
          signalAndQueryHeader: true,
          internalErrorDifferentiation: true,
          activityFailureIncludeHeartbeat: true,
          supportsSchedules: false,
          encodedFailureAttributes: true,
          buildIdBasedVersioning: false,
          upsertMemo: true,
          eagerWorkflowStart: true,
          sdkMetadata: true,
          countGroupByExecutionStatus: true,
          nexus: true,
        },
      };
    },

    async GetClusterInfo() {
      return {
        supportedClients: {},
        serverVersion: SERVER_VERSION,
        clusterId: 'embedded-temporal',
        clusterName: 'active',
        historyShardCount: 1,
        persistenceStore: 'postgres',
        visibilityStore: 'postgres',
      };
    },

    async GetSearchAttributes() {
      return { keys: engine.searchAttributes.types('default') };
    },

    async DescribeNamespace(req) {
      const ns = req.namespace ? engine.namespaces.get(req.namespace) : [...engine.namespaces.values()].find((n) => n.id === req.id);
      if (!ns) throw namespaceNotFound(req.namespace ?? req.id ?? '');
      return describe(ns);
    },

    async ListNamespaces() {
      return { namespaces: [...engine.namespaces.values()].map(describe) };
    },

    async RegisterNamespace(req) {
      if (!req.namespace) throw invalidArgument('Namespace is not set on request.');
      const ns = { name: req.namespace, id: randomUUID(), description: req.description ?? '', retentionMs: ms(req.workflowExecutionRetentionPeriod) || 86_400_000 };
      if (!(await engine.store.insertNamespace(ns))) throw namespaceAlreadyExists(req.namespace);
      engine.namespaces.set(ns.name, ns);
      return {};
    },
  };
}
