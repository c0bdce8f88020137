import fc from 'fast-check';

/**
 * Request generators for the fuzz test (test/api/fuzz.test.ts), derived from the OpenAPI document:
 * bodies and query strings that mostly follow an operation's schema but break it somewhere, with the
 * values an attacker or a broken client sends.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
};

/** Text with a NUL or another control character somewhere in it. */
const withControl = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\u0000', '\u0001', '\u0007', '\u000b', '\u000c', '\u001b', '\u001f', '\r\n', '\t'), fc.string({ maxLength: 6 }))
  .map((parts) => parts.join(''));

/** Text that is valid UTF-16 only in part, or far from ASCII: lone surrogates, emoji sequences, bidi marks. */
const oddUnicode = fc.constantFrom('\ud800', 'x\udfffy', '\udc00\ud800', '😀🎉👩‍👩‍👧', '\ufeff\u202e', 'Ω≈ç√', '𝕳𝖊𝖑𝖑𝖔');

/** 100 kB and more, in one and in four bytes a character. */
const huge = fc.constantFrom('x'.repeat(100_000), '😀'.repeat(30_000));

/** Strings that have broken parsers and databases before, each kind weighted so every route meets each. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: withControl, weight: 3 },
  { arbitrary: oddUnicode, weight: 2 },
  { arbitrary: huge, weight: 1 },
  {
    arbitrary: fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '../../../etc/passwd', '%00', '', ' ', 'null', '1e309', '-0', 'NaN', '2026-13-45T99:99:99Z', 'not a url', 'http://'),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

/** Numbers past every bound: negative, fractional, beyond 32 and 53 bits, the largest double. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, -0.000001, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value of the wrong kind: the schema asked for something else. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 6 },
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

/** Bodies that are not JSON at all, or not the JSON the route expects at the top. */
export const malformedJson: fc.Arbitrary<string> = fc.constantFrom('{', '{"name": ', '[1,2', '{"a":1}}', 'nul', "{'a':1}", '\u0000', '"just a string"', '42', 'null', '[]', '{"__proto__":{"admin":true}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}');

/** What the document says lives under `#/components/schemas/...`. */
export type Components = Record<string, JsonSchema>;

/** A value that fits `schema` as far as cheaply known: enums, bounds, formats; nested objects fill their required fields. */
export function fitting(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return fitting(components[schema.$ref.split('/').pop()!] ?? {}, components, depth);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => fitting(choice, components, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'uri') return fc.constantFrom('http://127.0.0.1:9/fuzz', 'https://example.test/x');
      return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 20, 20) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 1_000, 1_000_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(fitting(schema.items ?? {}, components, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectOf(schema, components, depth + 1);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null));
  }
}

function objectOf(schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return fc.constant({});
  const required = new Set(schema.required ?? []);
  return fc.record(
    Object.fromEntries(entries.map(([name, property]) => [name, fitting(property, components, depth)])),
    { requiredKeys: entries.map(([name]) => name).filter((name) => required.has(name)) },
  );
}

/**
 * A body for an operation: mostly its schema's shape with one or more fields broken (wrong type,
 * nasty string, huge or negative number), a required field dropped, or extra fields added.
 */
export function brokenBody(schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  const resolved = schema.$ref ? (components[schema.$ref.split('/').pop()!] ?? {}) : schema;
  const names = Object.keys(resolved.properties ?? {});
  const valid = fitting(resolved, components) as fc.Arbitrary<Record<string, unknown>>;
  if (names.length === 0) return fc.oneof(valid, wrongType);
  const broken = fc
    .tuple(valid, fc.subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) }), fc.array(wrongType, { minLength: 3, maxLength: 3 }))
    .map(([body, fields, values]) => ({ ...(typeof body === 'object' && body ? body : {}), ...Object.fromEntries(fields.map((field, i) => [field, values[i]])) }));
  const missing = fc.tuple(valid, fc.constantFrom(...names)).map(([body, field]) => {
    const copy = { ...(typeof body === 'object' && body ? body : {}) };
    delete copy[field];
    return copy;
  });
  const extra = fc.tuple(valid, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), wrongType, { minKeys: 1, maxKeys: 3 })).map(([body, more]) => ({ ...more, ...(typeof body === 'object' && body ? body : {}) }));
  return fc.oneof({ arbitrary: broken, weight: 4 }, { arbitrary: missing, weight: 1 }, { arbitrary: extra, weight: 1 }, { arbitrary: valid, weight: 1 }, { arbitrary: wrongType, weight: 1 });
}

/**
 * A known-good body with exactly `field` broken, so the broken value gets past every other check
 * and reaches what runs only on otherwise valid input: object-level refinements, the database, the
 * workflow. A field the example lacks is an extra one.
 */
export function fieldBroken(example: Record<string, unknown>, field: string): fc.Arbitrary<Record<string, unknown>> {
  return wrongType.map((value) => ({ ...example, [field]: value }));
}

/** A query string for the operation's query parameters: fitting values, nasty ones, repeats and unknown names. */
export function brokenQuery(names: string[]): fc.Arbitrary<string> {
  if (names.length === 0) return fc.constantFrom('', '?x=%00', '?a[b]=c', '?page=1&page=2');
  const value = fc.oneof(fc.string({ maxLength: 10 }), nastyString.filter((s) => s.length < 5_000), nastyNumber.map(String));
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.constantFrom('unknown', 'a[b]')), value), { maxLength: 4 })
    .map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeText(v)}`).join('&') : ''));
}

/** Like encodeURIComponent, but a lone surrogate goes as its (invalid) UTF-8 bytes instead of throwing. */
export function encodeText(text: string): string {
  return [...text].map((char) => (/^[\ud800-\udfff]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
}

/** A path parameter: one of the real ids we know (ours, another tenant's), or junk. */
export function pathValue(known: Array<string | number>): fc.Arbitrary<string> {
  const junk = fc.oneof(
    fc.constantFrom('0', '-1', '1.5', '1e3', '99999999999999999999', String(2 ** 31), String(Number.MAX_SAFE_INTEGER), 'abc', '%00', '%2e%2e%2f', '%ED%A0%80', '%F0%9F%98%80', '%E0%A4%A', 'a'.repeat(3000), ' '),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map(encodeText),
  );
  return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known.map(String)), weight: 3 }, { arbitrary: junk, weight: 1 }) : junk;
}
