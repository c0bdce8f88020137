/**
 * Protobuf plumbing: the reflection root that ships with @temporalio/proto, and the small
 * conversions every other module needs (plain objects <-> bytes, timestamps, durations).
 *
 * Messages are handled as plain objects with enums as their string names, int64 as numbers
 * and bytes as Buffers, so the engine reads like the API documentation.
 */
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
export const root: protobuf.Root = require('@temporalio/proto');
/** protobufjs's Writer, from the copy @temporalio/proto's types are built with (not a dependency of ours). */
export const Writer: typeof protobuf.Writer = createRequire(require.resolve('@temporalio/proto'))('protobufjs/minimal').Writer;

export type Msg = Record<string, any>;

const CONVERSION: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: false };

const types = new Map<string, protobuf.Type>();
export function type(name: string): protobuf.Type {
  let t = types.get(name);
  if (!t) {
    t = root.lookupType(name);
    types.set(name, t);
  }
  return t;
}

export function encode(typeName: string, obj: Msg): Buffer {
  const t = type(typeName);
  return asBuffer(t.encode(t.fromObject(obj)).finish());
}

/** The bytes protobufjs wrote, as a Buffer without a copy (under Node they are one already). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function decode(typeName: string, bytes: Uint8Array): Msg {
  const t = type(typeName);
  return t.toObject(t.decode(bytes), CONVERSION);
}

/** Converts a decoded message instance of `t` to a plain object. */
export function toPlain(t: protobuf.Type, message: protobuf.Message): Msg {
  return t.toObject(message, CONVERSION);
}

export const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';

/** google.protobuf.Any holding `obj` encoded as `typeName`. */
export function packAny(typeName: string, obj: Msg): Msg {
  return { type_url: `type.googleapis.com/${typeName}`, value: encode(typeName, obj) };
}

export function unpackAny(any: Msg | undefined): { typeName: string; value: Msg } | undefined {
  if (!any?.type_url) return undefined;
  const typeName = String(any.type_url).replace(/^.*\//, '');
  return { typeName, value: decode(typeName, any.value ?? Buffer.alloc(0)) };
}

export function timestamp(ms: number): Msg {
  return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
}

export function fromTimestamp(ts: Msg | undefined | null): number | undefined {
  if (!ts) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6);
}

export function duration(ms: number): Msg {
  return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
}

/** A duration that is absent when 0: timeouts not set must come back unset, not as zero. */
export function optionalDuration(ms: number): Msg | undefined {
  return ms ? duration(ms) : undefined;
}

/** Duration in ms; 0 when unset (the API's "no timeout"). */
export function ms(d: Msg | undefined | null): number {
  if (!d) return 0;
  return Number(d.seconds ?? 0) * 1000 + Math.floor(Number(d.nanos ?? 0) / 1e6);
}

/** Protobuf wire helpers, to splice already-encoded messages (history events) into a response. */
function varintSize(n: number): number {
  let size = 1;
  for (; n > 0x7f; n = Math.floor(n / 128)) size++;
  return size;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  for (; n > 0x7f; n = Math.floor(n / 128)) out[at++] = (n & 0x7f) | 0x80;
  out[at++] = n;
  return at;
}

/** `head`, then each of `parts` as field `fieldNumber` (length-delimited), in one buffer. */
function withFields(head: Buffer, fieldNumber: number, parts: Buffer[]): Buffer {
  const tag = (fieldNumber << 3) | 2;
  let size = head.length;
  for (const p of parts) size += varintSize(tag) + varintSize(p.length) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = head.copy(out, 0);
  for (const p of parts) {
    at = writeVarint(out, writeVarint(out, at, tag), p.length);
    at += p.copy(out, at);
  }
  return out;
}

/** Encodes a `temporal.api.history.v1.History` from encoded events (field 1, repeated). */
export function historyBytes(events: Buffer[]): Buffer {
  return withFields(Buffer.alloc(0), 1, events);
}

/**
 * Encodes `obj` as `typeName` and appends `history` as its field `historyField`: history events
 * are stored encoded, so they are never decoded and re-encoded on the hot path.
 */
export function encodeWithHistory(typeName: string, obj: Msg, historyField: number, events: Buffer[]): Buffer {
  return encodeWithField(typeName, obj, historyField, historyBytes(events));
}

/** Encodes `obj` as `typeName` with `field` appended as an already-encoded message. */
export function encodeWithField(typeName: string, obj: Msg, field: number, encoded: Buffer): Buffer {
  return withFields(encode(typeName, obj), field, [encoded]);
}

/** Enums by name: a lookup in the reflection root walks its namespaces (every write asks for one). */
const enums = new Map<string, protobuf.Enum>();
function lookupEnum(name: string): protobuf.Enum {
  let e = enums.get(name);
  if (!e) {
    e = root.lookupEnum(name);
    enums.set(name, e);
  }
  return e;
}

/** Numeric value of an enum member, e.g. enumNumber('temporal.api.enums.v1.EventType', 'EVENT_TYPE_TIMER_FIRED'). */
export function enumNumber(enumName: string, member: string): number {
  return lookupEnum(enumName).values[member] ?? 0;
}

export function enumName(enumName: string, value: number): string {
  return lookupEnum(enumName).valuesById[value] ?? '';
}

