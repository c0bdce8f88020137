/**
 * The Temporal API's own HTTP bindings: the `google.api.http` annotations that ship in the
 * reflection root of @temporalio/proto (the `/api/v1/...` ones, which ui-server and the real
 * frontend's HTTP port serve), matched against a request and turned into the request message
 * as grpc-gateway does: path variables, then the body (`body: "*"`) or the query string.
 */
import type protobuf from 'protobufjs';
import { root, type, type Msg } from '../proto.ts';
import { fromJson } from './json.ts';

export interface Binding {
  service: string;
  method: string;
  verb: string;
  /** Path segments: literals, or a variable naming a (dotted, snake_case) field path. */
  segments: ({ literal: string } | { field: string })[];
  hasBody: boolean;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
}

const SERVICES = ['temporal.api.workflowservice.v1.WorkflowService', 'temporal.api.operatorservice.v1.OperatorService'];
const VERBS = ['get', 'post', 'put', 'delete', 'patch'];

function parseTemplate(path: string): Binding['segments'] {
  return path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      const variable = /^\{([^}=]+)(?:=[^}]*)?\}$/.exec(part);
      return variable ? { field: variable[1] } : { literal: part };
    });
}

function loadBindings(): Binding[] {
  const bindings: Binding[] = [];
  for (const serviceName of SERVICES) {
    const service = root.lookupService(serviceName);
    for (const method of service.methodsArray) {
      for (const option of method.parsedOptions ?? []) {
        const http = option['(google.api.http)'];
        if (!http) continue;
        for (const rule of [http, ...[].concat(http.additional_bindings ?? [])] as Record<string, string>[]) {
          const verb = VERBS.find((v) => typeof rule[v] === 'string');
          if (!verb || !rule[verb].startsWith('/api/v1/')) continue;
          bindings.push({
            service: serviceName,
            method: method.name,
            verb: verb.toUpperCase(),
            segments: parseTemplate(rule[verb]),
            hasBody: rule.body === '*',
            requestType: type(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType),
            responseType: type(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType),
          });
        }
      }
    }
  }
  // Where two templates fit one path, the one with more literal segments wins.
  return bindings.sort((a, b) => literalCount(b) - literalCount(a));
}

const literalCount = (b: Binding) => b.segments.filter((s) => 'literal' in s).length;

const BINDINGS = loadBindings();

export interface Match {
  binding: Binding;
  /** Path variables by field path. */
  variables: Record<string, string>;
}

export function matchBinding(verb: string, pathname: string): Match | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const binding of BINDINGS) {
    if (binding.verb !== verb || binding.segments.length !== parts.length) continue;
    const variables: Record<string, string> = {};
    const fits = binding.segments.every((segment, i) => {
      if ('literal' in segment) return segment.literal === parts[i];
      variables[segment.field] = parts[i];
      return true;
    });
    if (fits) return { binding, variables };
  }
  return undefined;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Sets `value` (text from a path or a query string) at the dotted field path, typed by the schema. */
function setPath(message: protobuf.Type, target: Msg, path: string, value: string): void {
  const [head, ...rest] = path.split('.');
  const field = message.fields[camel(head)];
  if (!field) return; // grpc-gateway ignores unknown query parameters too
  field.resolve();
  const nested = field.resolvedType;
  if (rest.length) {
    if (!nested || !('fields' in nested)) return;
    target[field.name] ??= {};
    setPath(nested as protobuf.Type, target[field.name], rest.join('.'), value);
    return;
  }
  const typed =
    nested && 'fields' in nested
      ? fromJson(nested as protobuf.Type, value)
      : nested && /^\d+$/.test(value) // an enum given by number (the UI sends taskQueueType=1)
        ? Number(value)
        : field.type === 'bool'
          ? value === 'true' || value === '1'
          : value;
  if (field.repeated) (target[field.name] ??= []).push(typed);
  else target[field.name] = typed;
}

/** The request message, as the plain object protobufjs's fromObject takes. */
export function requestObject(match: Match, query: URLSearchParams, body: unknown): Msg {
  const { binding, variables } = match;
  const request: Msg = binding.hasBody && body !== undefined ? (fromJson(binding.requestType, body) as Msg) : {};
  if (!binding.hasBody) for (const [key, value] of query) setPath(binding.requestType, request, key, value);
  for (const [path, value] of Object.entries(variables)) setPath(binding.requestType, request, path, value);
  return request;
}
