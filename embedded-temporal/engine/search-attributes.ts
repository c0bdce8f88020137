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
