import { Type, type Static, type TSchema } from 'typebox';

/** Shared atoms of the native API's schemas; each becomes a named OpenAPI component. */

/**
 * `T | null`. Where T has a plain JSON type this is `type: [T, "null"]` rather than `anyOf`:
 * the response serializer writes a type list directly, but must run a validator to choose an
 * `anyOf` branch, which made every contact's dozen nullable fields the cost of a lookup.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: unknown }).type;
  return typeof type === 'string' ? Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] }) : Type.Union([schema, Type.Null()]);
}

export const Id = Type.String({ format: 'uuid', description: 'A UUID made by contactd.', examples: ['0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] });

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 date-time in UTC.', examples: ['2026-11-23T11:50:09.123Z'] });

export const FieldError = Type.Object(
  {
    path: Type.String({ description: 'The field, as `phone_numbers[0].number`.' }),
    message: Type.String({ description: 'What is wrong with it.' }),
  },
  { $id: 'FieldError', description: 'One invalid field.' },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem.' }),
    title: Type.String({ description: 'Short summary of the kind of problem.' }),
    status: Type.Integer({ description: 'The HTTP status code.' }),
    detail: Type.String({ description: 'What went wrong in this request.' }),
    code: Type.String({ description: 'Stable snake_case error code.', examples: ['contact_not_found'] }),
    request_id: Type.String({ description: 'The id of this request, also sent as `x-request-id`.' }),
    errors: Type.Optional(Type.Array(Type.Ref('FieldError'), { description: 'Each invalid field, for validation problems.' })),
  },
  { $id: 'Problem', additionalProperties: true, description: 'An RFC 9457 problem details body (`application/problem+json`).' },
);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Items per page (1 to 500).' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' })),
};

/** `{"data": [...], "next_cursor": ...}` around an item schema. */
export function PageOf(item: TSchema, id: string) {
  return Type.Object(
    {
      data: Type.Array(item),
      next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
    },
    { $id: id, description: `A page of ${id.replace(/Page$/, '')} items.` },
  );
}

export const IdParams = Type.Object({ id: Type.String({ description: 'The resource id.' }) });

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Invalid request: `errors` names each bad field.',
  401: 'No API key, or an unknown or revoked one.',
  403: 'The API key lacks the scope this route needs.',
  404: 'No such resource in this account.',
  409: 'Conflicts with existing data (a duplicate, a taken name or external id).',
  412: 'If-Match names a version that is no longer current.',
  429: 'Over this API key\'s rate limit: `Retry-After` says in how many seconds to try again.',
  503: 'The database is unavailable (restarting, failing over): nothing was done; try again after `Retry-After` seconds.',
};

/** The error responses every authenticated route may give, as application/problem+json. */
export function errorResponses(...statuses: number[]): Record<number, object> {
  return Object.fromEntries(
    [400, 401, 403, 429, 503, ...statuses].map((s) => [s, { description: ERROR_MEANINGS[s], content: { 'application/problem+json': { schema: Type.Ref('Problem') } } }]),
  );
}

/** A success response with the description OpenAPI shows for it. */
export function answer(schema: TSchema, description: string): TSchema {
  return { ...schema, description } as TSchema;
}
