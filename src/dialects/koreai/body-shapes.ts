import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';

/**
 * Kore's docs send some bodies as one object and others as a bare array of them (the create
 * sample is `[{...}]`). A route that takes both documents `anyOf` the two, but is checked against
 * the shape actually sent, so that errors name that shape's fields (`[1].firstName`) instead of
 * mixing both alternatives' complaints.
 */
const strict = new Ajv.default({ allErrors: true, strict: false, coerceTypes: false });
const lenient = new Ajv.default({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true });
addFormats.default(strict);
addFormats.default(lenient);

export interface ObjectOrArray {
  /** The body schema the route declares (OpenAPI shows both shapes). */
  body: TSchema;
  /** The route's validator: the body by its shape; params and query strings coerced, as elsewhere. */
  validatorCompiler: FastifySchemaCompiler<unknown>;
}

export function objectOrArray(object: TSchema, array: TSchema): ObjectOrArray {
  const checkObject = strict.compile(object);
  const checkArray = strict.compile(array);
  return {
    body: Type.Union([object, array]),
    validatorCompiler: ({ schema, httpPart }) => {
      if (httpPart !== 'body') return lenient.compile(schema as object);
      const validate = ((data: unknown) => {
        const check: ValidateFunction = Array.isArray(data) ? checkArray : checkObject;
        const ok = check(data);
        validate.errors = check.errors;
        return ok;
      }) as ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };
      return validate;
    },
  };
}
