/** OperatorService's Nexus endpoint RPCs (also served on the UI port's HTTP API by their bindings). */
import type { Handlers } from '../grpc/service.ts';
import type { Engine } from '../engine/engine.ts';

export function nexusEndpointHandlers(engine: Engine): Handlers {
  const endpoints = engine.nexusEndpoints;
  const namespaceExists = (name: string) => engine.namespaces.has(name);
  return {
    CreateNexusEndpoint: async (req) => ({ endpoint: await endpoints.create(req.spec, namespaceExists, engine.clock.now()) }),
    UpdateNexusEndpoint: async (req) => ({ endpoint: await endpoints.update(req, namespaceExists, engine.clock.now()) }),
    DeleteNexusEndpoint: async (req) => (await endpoints.delete(req), {}),
    GetNexusEndpoint: async (req) => ({ endpoint: endpoints.get(req.id) }),
    ListNexusEndpoints: async (req) => endpoints.list(req),
  };
}
