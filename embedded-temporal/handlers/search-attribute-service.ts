/**
 * OperatorService's search attribute RPCs, per namespace as the real server keeps them with SQL
 * visibility: Add, List and Remove, with its checks and messages.
 */
import { invalidArgument, notFound } from '../grpc/errors.ts';
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';
import { SYSTEM_SEARCH_ATTRIBUTES } from '../engine/search-attributes.ts';
import type { Msg } from '../proto.ts';

function namespaceOf(engine: Engine, req: Msg): string {
  if (!req.namespace) throw invalidArgument('Namespace is not set on request.');
  return engine.requireNamespace(req.namespace).name;
}

export function searchAttributeHandlers(engine: Engine): Handlers {
  const registry = engine.searchAttributes;
  return {
    async AddSearchAttributes(req) {
      const namespace = namespaceOf(engine, req);
      const requested: Record<string, string> = req.searchAttributes ?? {};
      if (!Object.keys(requested).length) throw invalidArgument('SearchAttributes are not set on request.');
      const current = registry.customTypes(namespace);
      const added: Record<string, string> = {};
      for (const [name, type] of Object.entries(requested)) {
        if (name in SYSTEM_SEARCH_ATTRIBUTES) throw invalidArgument(`Search attribute ${name} is reserved by system.`);
        if (!type || type === 'INDEXED_VALUE_TYPE_UNSPECIFIED') throw invalidArgument(`Unknown search attribute type: ${type} for ${name}.`);
        // As the real server: adding a name that exists changes nothing and is no error (it keeps its type).
        if (!current[name]) added[name] = type;
      }
      if (Object.keys(added).length) await registry.add(namespace, added);
      return {};
    },

    async ListSearchAttributes(req) {
      const namespace = req.namespace ? namespaceOf(engine, req) : 'default';
      return { systemAttributes: SYSTEM_SEARCH_ATTRIBUTES, customAttributes: registry.customTypes(namespace), storageSchema: {} };
    },

    async RemoveSearchAttributes(req) {
      const namespace = namespaceOf(engine, req);
      const names: string[] = req.searchAttributes ?? [];
      if (!names.length) throw invalidArgument('SearchAttributes are not set on request.');
      const current = registry.customTypes(namespace);
      for (const name of names) {
        if (name in SYSTEM_SEARCH_ATTRIBUTES) throw invalidArgument(`Unable to remove non-custom search attributes: ${name}.`);
        if (!current[name]) throw notFound(`Search attribute ${name} doesn't exist.`);
      }
      await registry.remove(namespace, names);
      return {};
    },
  };
}
