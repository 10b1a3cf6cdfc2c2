import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, validationError, type ErrorCode, type FieldError } from '../core/errors.ts';
import { JsonTooDeepError } from './json-body.ts';
import { TooManyParametersError } from './query-limit.ts';
import { fieldErrorsOf } from './validation.ts';

/** The one table from domain error codes to HTTP statuses and titles. */
const STATUS_OF: Record<ErrorCode, [number, string]> = {
  validation_failed: [400, 'Invalid request'],
  unauthorized: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  not_found: [404, 'Not found'],
  account_not_found: [404, 'Account not found'],
  api_key_not_found: [404, 'API key not found'],
  address_book_not_found: [404, 'Address book not found'],
  address_book_not_empty: [409, 'Address book not empty'],
  default_address_book: [409, 'Default address book'],
  duplicate_address_book: [409, 'Address book name taken'],
  custom_field_not_found: [404, 'Custom field not found'],
  duplicate_custom_field: [409, 'Custom field key taken'],
  contact_not_found: [404, 'Contact not found'],
  duplicate_contact: [409, 'Duplicate contact'],
  card_name_taken: [409, 'Card name taken'],
  ambiguous_duplicate: [409, 'Several contacts match'],
  ambiguous_match: [409, 'Several contacts match'],
  duplicate_external_id: [409, 'External id taken'],
  version_mismatch: [412, 'Version mismatch'],
  contact_not_active: [409, 'Contact not active'],
  contact_not_deleted: [409, 'Contact not deleted'],
  not_merged_into: [409, 'Not merged into this contact'],
  webhook_not_found: [404, 'Webhook not found'],
  group_not_found: [404, 'Group not found'],
  duplicate_group: [409, 'Group name taken'],
  unit_not_found: [404, 'Unit not found'],
  duplicate_unit: [409, 'Unit name taken'],
  default_unit: [409, 'Default unit'],
  custom_field_limit: [409, 'Too many custom fields'],
  rate_limited: [429, 'Too many requests'],
  import_not_found: [404, 'Import not found'],
  payload_too_large: [413, 'Payload too large'],
  service_unavailable: [503, 'Service unavailable'],
};

/**
 * Seconds a client should wait before trying again after a 503 (every surface sends it as
 * Retry-After): a database restart or failover usually takes a few seconds.
 */
export const RETRY_AFTER_SECONDS = 2;

/** Sets Retry-After on a 503; every surface's sender calls it. */
export function setRetryAfter(reply: FastifyReply, status: number): void {
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
}

/** Fastify's own 4xx errors (body parsing, media types) under stable codes of ours. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  /** The import routes' own refusal, whose message names the types they take. */
  CONTACTD_IMPORT_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** A body that was sent as JSON but is not JSON (each API renders this in its own format). */
export function isMalformedJson(error: unknown): boolean {
  const e = error as FastifyError | undefined;
  return e instanceof SyntaxError || e instanceof JsonTooDeepError || e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (e?.statusCode === 400 && /JSON/i.test(e.message));
}

export function problemOf(error: unknown, requestId: string): ProblemBody {
  const e = error as FastifyError;
  if (e?.validation) return problemOf(validationError(fieldErrorsOf(e.validation, e.validationContext)), requestId);
  if (error instanceof DomainError) {
    const [status, title] = STATUS_OF[error.code];
    return build(status, error.code, title, error.detail, requestId, error.fieldErrors, error.extra);
  }
  if (error instanceof JsonTooDeepError) return build(400, 'json_too_deep', 'JSON nested too deep', error.message, requestId);
  if (error instanceof TooManyParametersError) return build(400, 'too_many_parameters', 'Too many query parameters', error.message, requestId);
  if (isMalformedJson(error)) {
    return build(400, 'invalid_json', 'Malformed JSON', 'the body is not valid JSON', requestId);
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return build(status, FRAMEWORK_CODES[e.code] ?? 'bad_request', titleOf(status), detailOf(status, e), requestId);
  }
  return build(500, 'internal_error', 'Internal server error', 'something failed on our side; quote the request id when reporting it', requestId);
}

function build(status: number, code: string, title: string, detail: string, requestId: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}): ProblemBody {
  return {
    type: `https://contactd.dev/problems/${code}`,
    title,
    status,
    detail,
    code,
    ...(errors.length > 0 ? { errors } : {}),
    ...extra,
    request_id: requestId,
  };
}

function detailOf(status: number, error: FastifyError): string {
  if (status === 413) return 'the body is larger than 1 MiB';
  // Fastify's own wording names no type to send; a route's own 415 (the imports') says it already.
  if (status === 415 && error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'send application/json (or application/merge-patch+json for PATCH)';
  return error.message;
}

function titleOf(status: number): string {
  return { 404: 'Not found', 405: 'Method not allowed', 413: 'Payload too large', 415: 'Unsupported media type' }[status] ?? 'Bad request';
}

/** A 5xx failure in the log: a 503 (the database is away, nothing to fix here) as a warning. */
export function logFailure(request: FastifyRequest, status: number, error: unknown): void {
  if (status === 503) request.log.warn({ err: error }, 'request failed: service unavailable');
  else if (status >= 500) request.log.error({ err: error }, 'request failed');
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="contactd"');
  setRetryAfter(reply, problem.status);
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** Every error of the native API leaves as application/problem+json; 5xx are logged whole (a 503, expected while the database is away, as a warning). */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request: FastifyRequest, reply) => {
    const problem = problemOf(error, request.id);
    logFailure(request, problem.status, error);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, build(404, 'route_not_found', 'Not found', `no route ${request.method} ${request.url.split('?')[0]}`, request.id)),
  );
}
