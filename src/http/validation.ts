import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../core/errors.ts';

/**
 * Two validators: bodies are checked as sent (a string is never silently turned into a
 * number), while query strings and path parameters, which are text by nature, are coerced.
 */
export function registerValidators(app: FastifyInstance): { validateBody: (schemaId: string) => (data: unknown) => FieldError[] } {
  const strict = newAjv({ coerceTypes: false });
  const lenient = newAjv({ coerceTypes: 'array' });
  for (const schema of Object.values(app.getSchemas())) {
    strict.addSchema(schema as object);
    lenient.addSchema(schema as object);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));
  return {
    validateBody(schemaId) {
      const validate = strict.getSchema(schemaId);
      if (!validate) throw new Error(`no schema ${schemaId}`);
      return (data) => (validate(data) ? [] : fieldErrorsOf(validate.errors ?? []));
    },
  };
}

function newAjv(options: { coerceTypes: boolean | 'array' }) {
  const ajv = new Ajv.default({ ...options, allErrors: true, useDefaults: true, removeAdditional: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

/** Turns Ajv's errors into one entry per field, as `phone_numbers[0].number`. */
export function fieldErrorsOf(errors: Partial<ErrorObject>[], context?: string): FieldError[] {
  const byPath = new Map<string, string>();
  // A union of literals fails once per literal ("must be equal to constant"): said as one list.
  const constsAt = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const') constsAt.set(e.instancePath ?? '', [...(constsAt.get(e.instancePath ?? '') ?? []), (e.params as { allowedValue: unknown }).allowedValue]);
  }
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'if') continue;
    let pointer = e.instancePath ?? '';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      pointer += `/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (e.keyword === 'const') {
      message = `must be one of: ${constsAt.get(pointer)!.join(', ')}`;
    } else if (e.keyword === 'type' && byPath.has(pathOf(pointer))) {
      continue; // a nullable field also says "must be null": the first message is the useful one
    }
    const path = pathOf(pointer) || (context === 'body' ? 'body' : context ?? 'request');
    if (!byPath.has(path)) byPath.set(path, message);
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}
