import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of what a route accepts, made from the zod schema it parses with, so the
 * document cannot drift from validation. `io: 'input'` describes what a client sends (before
 * coercion, defaults and transforms); what JSON Schema cannot say (refinements, transforms) is
 * left open rather than refused.
 */
export function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** A query string's parameters, one per property of the object schema the route parses `req.query` with. */
export function queryParameters(json: JsonSchema): JsonSchema[] {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

export const integerId: JsonSchema = { type: 'integer', minimum: 1 };
export const isoDateTime: JsonSchema = { type: 'string', format: 'date-time' };

/** An object whose listed properties are all present; hand-written response shapes use it. */
export function object(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return { type: 'object', ...(description ? { description } : {}), properties, required: Object.keys(properties) };
}

export const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `{ items, total, page, pageSize }`, the paged list most list routes answer. */
export const page = (items: JsonSchema): JsonSchema => object({ items: arrayOf(items), total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } });
