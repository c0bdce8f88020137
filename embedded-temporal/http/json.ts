/**
 * Canonical protobuf JSON (the mapping grpc-gateway and the Temporal UI use), by reflection:
 * lowerCamelCase names, int64 as strings, enums by name, bytes as base64, Timestamp as RFC 3339,
 * Duration as "1.5s", Any as {"@type", ...fields}, and fields at their default value left out.
 * protobufjs's toObject/fromObject know none of the well-known types' JSON forms, hence this walk.
 */
import type protobuf from 'protobufjs';
import { root, type Msg } from '../proto.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PAYLOAD = '.temporal.api.common.v1.Payload';
const NULL_JSON_BASE64 = Buffer.from('null').toString('base64');
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((n) => `.google.protobuf.${n}`));

/** Fraction digits as Go's protojson writes them: none, or 3, 6 or 9. */
function fraction(nanos: number): string {
  if (!nanos) return '';
  const digits = String(nanos).padStart(9, '0');
  return '.' + (digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits);
}

function timestampJson(m: Msg): string {
  const seconds = Number(m.seconds ?? 0);
  const nanos = Number(m.nanos ?? 0);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '') + fraction(nanos) + 'Z';
}

function durationJson(m: Msg): string {
  const seconds = Number(m.seconds ?? 0);
  const nanos = Number(m.nanos ?? 0);
  const sign = seconds < 0 || nanos < 0 ? '-' : '';
  return `${sign}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

function scalarJson(field: protobuf.Field, value: unknown): Json {
  if (field.resolvedType && 'valuesById' in field.resolvedType) {
    return (field.resolvedType as protobuf.Enum).valuesById[value as number] ?? (value as number);
  }
  if (field.resolvedType) return messageJson(field.resolvedType as protobuf.Type, value as protobuf.Message);
  if (INT64.has(field.type)) return String(value);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if ((field.type === 'double' || field.type === 'float') && !Number.isFinite(value as number)) return String(value);
  return value as Json;
}

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.resolvedType && !('valuesById' in field.resolvedType)) return false; // a message is present when set
  if (field.partOf || field.options?.proto3_optional) return false; // explicit presence
  if (value === 0 || value === '' || value === false) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  return typeof value === 'object' && value !== null && 'isZero' in value && (value as { isZero(): boolean }).isZero();
}

/** A decoded message instance of `type`, as canonical JSON. */
export function messageJson(type: protobuf.Type, message: protobuf.Message | Msg): Json {
  const m = message as Msg;
  switch (type.fullName) {
    case '.google.protobuf.Timestamp':
      return timestampJson(m);
    case '.google.protobuf.Duration':
      return durationJson(m);
    case '.google.protobuf.Any': {
      const url = String(m.type_url ?? m.typeUrl ?? '');
      const inner = root.lookupType(url.replace(/^.*\//, ''));
      return { '@type': url, ...(messageJson(inner, inner.decode(m.value ?? new Uint8Array())) as object) };
    }
  }
  if (WRAPPERS.has(type.fullName)) return scalarJson(type.fields.value, m.value ?? type.fields.value.defaultValue);
  const out: Record<string, Json> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(m, field.name) || m[field.name] == null) continue;
    field.resolve();
    const value = m[field.name];
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, scalarJson(field, v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length) out[field.name] = (value as unknown[]).map((v) => scalarJson(field, v));
    } else if (!isDefault(field, value)) {
      out[field.name] = scalarJson(field, value);
    }
  }
  // The UI parses every payload's data as JSON and warns "Could not parse payload" on an empty
  // one (binary/null: a void result, an undefined argument); JSON null is what it shows for those.
  if (type.fullName === PAYLOAD && out.data === undefined) out.data = NULL_JSON_BASE64;
  return out;
}

function parseTimestamp(text: string): Msg {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const ms = match ? Date.parse(match[1] + match[3]) : NaN;
  if (!match || Number.isNaN(ms)) throw new SyntaxError(`bad Timestamp "${text}"`);
  return { seconds: Math.floor(ms / 1000), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function parseDuration(text: string): Msg {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!match) throw new SyntaxError(`bad Duration "${text}"`);
  const sign = match[1] ? -1 : 1;
  return { seconds: sign * Number(match[2]), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function fieldValueFromJson(field: protobuf.Field, value: unknown): unknown {
  const t = field.resolvedType;
  return t && !('valuesById' in t) ? fromJson(t as protobuf.Type, value) : value;
}

/**
 * Canonical JSON of a `type` message, as the plain object protobufjs's fromObject accepts: it
 * already reads enum names, int64 strings and base64 bytes; here go the well-known types and
 * proto field names (snake_case), which the JSON mapping accepts as well.
 */
export function fromJson(type: protobuf.Type, json: unknown): unknown {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp':
      return typeof json === 'string' ? parseTimestamp(json) : json;
    case '.google.protobuf.Duration':
      return typeof json === 'string' ? parseDuration(json) : json;
    case '.google.protobuf.Any': {
      const { '@type': url, ...fields } = json as Record<string, unknown>;
      const inner = root.lookupType(String(url).replace(/^.*\//, ''));
      return { type_url: url, value: inner.encode(inner.fromObject(fromJson(inner, fields) as Msg)).finish() };
    }
  }
  if (WRAPPERS.has(type.fullName)) return { value: json };
  if (json === null || typeof json !== 'object') throw new SyntaxError(`${type.name} must be a JSON object`);
  const out: Msg = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[camel(key)];
    if (!field) continue; // unknown fields are ignored, as grpc-gateway does with DiscardUnknown
    field.resolve();
    if (value === null) continue;
    if (field.map) out[field.name] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, fieldValueFromJson(field, v)]));
    else if (field.repeated) out[field.name] = (value as unknown[]).map((v) => fieldValueFromJson(field, v));
    else out[field.name] = fieldValueFromJson(field, value);
  }
  return out;
}
