/**
 * Search attribute types. The real server returns every search attribute with its type in the
 * payload's metadata (`type`), so the SDK can decode a Datetime as a Date; clients using the
 * older untyped API send none. Types come from the system attributes and those registered at
 * start (`--search-attribute Name=Type`, as `temporal server start-dev` and the SDK's test
 * environments pass them).
 */
import type { Msg } from '../proto.ts';

export const SYSTEM_SEARCH_ATTRIBUTES: Record<string, string> = {
  WorkflowId: 'INDEXED_VALUE_TYPE_KEYWORD',
  RunId: 'INDEXED_VALUE_TYPE_KEYWORD',
  WorkflowType: 'INDEXED_VALUE_TYPE_KEYWORD',
  ExecutionStatus: 'INDEXED_VALUE_TYPE_KEYWORD',
  StartTime: 'INDEXED_VALUE_TYPE_DATETIME',
  CloseTime: 'INDEXED_VALUE_TYPE_DATETIME',
  ExecutionTime: 'INDEXED_VALUE_TYPE_DATETIME',
  TaskQueue: 'INDEXED_VALUE_TYPE_KEYWORD',
  HistoryLength: 'INDEXED_VALUE_TYPE_INT',
  BuildIds: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
  // Predefined: set by SDKs and the server itself (schedules), never registered by users.
  TemporalChangeVersion: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
  BinaryChecksums: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
  BatcherUser: 'INDEXED_VALUE_TYPE_KEYWORD',
  TemporalScheduledStartTime: 'INDEXED_VALUE_TYPE_DATETIME',
  TemporalScheduledById: 'INDEXED_VALUE_TYPE_KEYWORD',
  TemporalSchedulePaused: 'INDEXED_VALUE_TYPE_BOOL',
  TemporalNamespaceDivision: 'INDEXED_VALUE_TYPE_KEYWORD',
};

/** IndexedValueType -> the type name payload metadata and the CLI flag use. */
const METADATA_TYPES: Record<string, string> = {
  INDEXED_VALUE_TYPE_TEXT: 'Text',
  INDEXED_VALUE_TYPE_KEYWORD: 'Keyword',
  INDEXED_VALUE_TYPE_INT: 'Int',
  INDEXED_VALUE_TYPE_DOUBLE: 'Double',
  INDEXED_VALUE_TYPE_BOOL: 'Bool',
  INDEXED_VALUE_TYPE_DATETIME: 'Datetime',
  INDEXED_VALUE_TYPE_KEYWORD_LIST: 'KeywordList',
};

/** 'CustomDatetimeField=Datetime' -> ['CustomDatetimeField', 'INDEXED_VALUE_TYPE_DATETIME']; throws on a bad one. */
export function parseSearchAttributeFlag(flag: string): [string, string] {
  const [name, typeName] = flag.split('=', 2);
  const type = Object.keys(METADATA_TYPES).find((t) => METADATA_TYPES[t].toLowerCase() === typeName?.trim().toLowerCase());
  if (!name || !type) throw new Error(`--search-attribute ${flag}: expected Name=Type, Type one of ${Object.values(METADATA_TYPES).join(', ')}`);
  return [name.trim(), type];
}

/** Search attributes with the type of every known one set in its payload's metadata (a copy; no copy when nothing changes). */
export function withTypes(attributes: Msg | undefined, types: Record<string, string>): Msg | undefined {
  const fields: Record<string, Msg> | undefined = attributes?.indexedFields;
  if (!fields) return attributes;
  let typed: Record<string, Msg> | undefined;
  for (const [name, payload] of Object.entries(fields)) {
    const type = METADATA_TYPES[types[name]];
    if (!type || payload?.metadata?.type) continue;
    typed ??= { ...fields };
    typed[name] = { ...payload, metadata: { ...payload.metadata, type: Buffer.from(type) } };
  }
  return typed ? { ...attributes, indexedFields: typed } : attributes;
}

/** Whether a decoded value fits an IndexedValueType (the legacy untyped API sends every value as a list). */
function fitsType(value: unknown, type: string): boolean {
  if (Array.isArray(value)) return type === 'INDEXED_VALUE_TYPE_KEYWORD_LIST' || type === 'INDEXED_VALUE_TYPE_KEYWORD' ? value.every((v) => typeof v === 'string') : value.length === 1 && fitsType(value[0], type);
  switch (type) {
    case 'INDEXED_VALUE_TYPE_INT':
      return Number.isInteger(value);
    case 'INDEXED_VALUE_TYPE_DOUBLE':
      return typeof value === 'number';
    case 'INDEXED_VALUE_TYPE_BOOL':
      return typeof value === 'boolean';
    case 'INDEXED_VALUE_TYPE_DATETIME':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return typeof value === 'string';
  }
}

/**
 * Why these search attributes may not be set, as the real server refuses them: a name the
 * namespace has not registered, or a value not of the registered type. Undefined when they may.
 * An empty or null payload unsets its attribute and is always allowed.
 */
export function searchAttributesProblem(attributes: Msg | undefined, types: Record<string, string>): string | undefined {
  for (const [name, payload] of Object.entries<Msg>(attributes?.indexedFields ?? {})) {
    const type = types[name];
    if (!type) return `search attribute ${name} is not defined`;
    if (!payload?.data?.length) continue;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload.data).toString());
    } catch {
      return `invalid value for search attribute ${name} of type ${METADATA_TYPES[type]}: not JSON`;
    }
    if (value !== null && !fitsType(value, type)) return `invalid value for search attribute ${name} of type ${METADATA_TYPES[type]}: ${JSON.stringify(value)}`;
  }
  return undefined;
}
