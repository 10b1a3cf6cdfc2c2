/**
 * fast-check arbitraries for the values of one JSON schema: mostly valid (the schema's own
 * examples, or values of its type within its bounds), some on and past its bounds, some hostile.
 */
import fc from 'fast-check';
import type { Schema } from './operations.ts';

const LONG = 100_000;

/** Strings that have broken parsers, regexes, SQL, PostgreSQL text or JSON columns elsewhere. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udbff\udfff', '\ufeff', '\u202e', '😀'.repeat(40),
    '__proto__', 'constructor', 'prototype', 'toString', "'; drop table contacts; --", '%', '_', '%_\\', '\\', '.*', '(a+)+$',
    '+', '++1', '+1 (651) 555-0100 ext. 12', '١٢٣٤٥٦٧٨٩٠', '+99999999999999999999', '0'.repeat(64), 'null', 'true', '1e999',
    '2019-02-30T25:61:61Z', '-1', '9007199254740993', 'a@b', '@', 'x@'.repeat(200), '..', '../../etc/passwd', '%00', '%ZZ',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat({ max: 3 }).map((i) => ['a', '9', '€', '😀'][i]!.repeat(LONG)),
);

/** Numbers on the edges of JSON and of JavaScript's safe integers. */
const hostileNumber = fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e21, 1e308, -1e308, Number.MIN_VALUE);

/** A value of any JSON type, including the odd ones (deep, wide, prototype-named keys). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, {}, [], [null], { '': '' }) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')) },
  { weight: 1, arbitrary: fc.nat({ max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => `+1651555${String(i % 10_000).padStart(4, '0')}`)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Values of a schema: valid, then boundary, then hostile, by weight. */
export function valueOf(schema: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: validOf(schema, name, depth, valueOf) },
    { weight: 2, arbitrary: boundaryOf(schema, name, depth) },
    { weight: 1, arbitrary: hostileValue },
  );
}

type Pick = (schema: Schema, name: string, depth: number) => fc.Arbitrary<unknown>;

/**
 * A value the schema accepts (as far as a generator can tell without its patterns); its members
 * (properties, items) are picked by `member`: valid too by default, or mixed (valueOf).
 */
export function validOf(schema: Schema, name = '', depth = 0, member: Pick = validOf): fc.Arbitrary<unknown> {
  const examples = [...(schema.examples ?? []), ...(schema.example !== undefined ? [schema.example] : [])];
  const typed = typedOf(schema, name, depth, member);
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), typed) : typed;
}

function typedOf(schema: Schema, name: string, depth: number, member: Pick): fc.Arbitrary<unknown> {
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validOf(s, name, depth, member)));
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = ([] as string[]).concat(schema.type ?? []);
  if (types.length > 1) return fc.oneof(...types.map((type) => typedOf({ ...schema, type }, name, depth, member)));
  switch (types[0]) {
    case 'string':
      return stringOf(schema, name);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 100_000, 2 ** 31) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? member(schema.items, name, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object':
      return objectOf(schema, depth, member);
    default:
      return schema.properties ? objectOf(schema, depth, member) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: Schema, depth: number, member: Pick): fc.Arbitrary<unknown> {
  const properties = Object.entries<Schema>(schema.properties ?? {});
  if (depth > 4 || properties.length === 0) return fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { maxKeys: 3 });
  const required = (schema.required ?? []) as string[];
  return fc.record(Object.fromEntries(properties.map(([key, s]) => [key, member(s, key, depth + 1)])), { requiredKeys: required.filter((k) => properties.some(([p]) => p === k)) });
}

/** Ids of real resources, so that a body naming ids (merge sources, group members) reaches them. */
const knownIds: string[] = [];
export function useKnownIds(ids: string[]): void {
  knownIds.splice(0, knownIds.length, ...ids);
}

/** Phone-like, email-like and id-like names get values that reach past the first validation. */
function stringOf(schema: Schema, name: string): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 60;
  const min = schema.minLength ?? 0;
  if (/(^|_)ids?$|Ids?$/.test(name) && knownIds.length > 0) return fc.oneof(fc.constantFrom(...knownIds), fc.string({ maxLength: 40 })).filter((s) => s.length >= min && s.length <= max);
  if (schema.format === 'email' || /email/i.test(name)) return fc.emailAddress().filter((e) => e.length <= max);
  if (schema.format === 'date-time' || /since|_at$/i.test(name)) return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
  if (/phone|msisdn|number/i.test(name)) return fc.oneof(phone, fc.stringMatching(/^\+?[0-9 ()-]{1,20}$/)).filter((s) => s.length >= min && s.length <= max);
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) });
}

/** E.164 numbers in a small space, so that duplicates and merges happen. */
export const phone: fc.Arbitrary<string> = fc.integer({ min: 0, max: 300 }).map((n) => `+1651555${String(n).padStart(4, '0')}`);

/** Values on and just past the schema's bounds. */
function boundaryOf(schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  const types = ([] as string[]).concat(schema.type ?? []);
  const picks: unknown[] = [null, ''];
  if (types.includes('string') || schema.maxLength !== undefined) {
    const max = schema.maxLength ?? 1000;
    picks.push('x'.repeat(max), 'x'.repeat(max + 1), 'é'.repeat(max), '😀'.repeat(max), ' '.repeat(max + 1), 'x'.repeat(Math.max(0, (schema.minLength ?? 1) - 1)));
  }
  if (types.includes('integer') || types.includes('number')) {
    const { minimum: lo = 0, maximum: hi = 1000 } = schema;
    picks.push(lo, hi, lo - 1, hi + 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e300, 0.5, String(hi));
  }
  if (types.includes('array') || schema.items) {
    const item = schema.items ? (fc.sample(validOf(schema.items, name, depth + 1), { numRuns: 1, seed: 1 })[0] ?? 'x') : 'x';
    picks.push([], Array(Math.min((schema.maxItems ?? 100) + 1, 100_001)).fill(item), Array(100_000).fill(item), 'not an array');
  }
  if (types.includes('object') || schema.properties) picks.push({}, [], 'not an object', { unknown_field: 1 });
  return fc.constantFrom(...picks);
}
