import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { isMalformedJson, setRetryAfter } from '../../http/problems.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { wireFieldOf } from './mapping.ts';

/**
 * GWS error bodies: `{"statusCode": <non-zero>, "statusMessage": "..."}` with GWS's own status
 * codes (Web Services API "Return Values"): 1 a required parameter is missing, 2 a parameter is
 * not valid, 3 the operation is forbidden, 4 internal error, 5 no permission, 6 not found,
 * 18 resource already exists, 20 not authenticated. The HTTP status says the same in HTTP terms.
 * GWS documents no rate limit; over contactd's, the answer is HTTP 429 with status code 3 (the
 * operation is forbidden, for now) and a message that says when to retry (Decision).
 */
export const GWS = {
  missingParameter: 1,
  invalidParameter: 2,
  forbidden: 3,
  internalError: 4,
  noPermission: 5,
  notFound: 6,
  alreadyExists: 18,
  notAuthenticated: 20,
} as const;

export interface GwsFailure {
  status: number;
  statusCode: number;
  statusMessage: string;
}

/** Core error codes -> HTTP status and GWS status code. */
const OF_CODE: Partial<Record<ErrorCode, [number, number]>> = {
  validation_failed: [400, GWS.invalidParameter],
  unauthorized: [401, GWS.notAuthenticated],
  forbidden: [403, GWS.forbidden],
  not_found: [404, GWS.notFound],
  contact_not_found: [404, GWS.notFound],
  address_book_not_found: [404, GWS.notFound],
  duplicate_contact: [409, GWS.alreadyExists],
  card_name_taken: [409, GWS.alreadyExists],
  ambiguous_duplicate: [409, GWS.alreadyExists],
  duplicate_external_id: [409, GWS.alreadyExists],
  contact_not_active: [409, GWS.invalidParameter],
  contact_not_deleted: [409, GWS.invalidParameter],
  not_merged_into: [409, GWS.invalidParameter],
  webhook_not_found: [404, GWS.notFound],
  version_mismatch: [412, GWS.invalidParameter],
  rate_limited: [429, GWS.forbidden],
  // GWS has no "unavailable" status code; 4 (internal error) with HTTP 503 and Retry-After.
  service_unavailable: [503, GWS.internalError],
};

export function failureOf(error: unknown): GwsFailure {
  const e = error as FastifyError;
  if (e?.validation) {
    const missing = e.validation.every((v) => v.keyword === 'required');
    const fields = fieldErrorsOf(e.validation, e.validationContext);
    const message = fields.map((f) => `${f.path} ${f.message}`).join('; ');
    return missing
      ? { status: 400, statusCode: GWS.missingParameter, statusMessage: `Missing required parameter: ${message}` }
      : { status: 400, statusCode: GWS.invalidParameter, statusMessage: `Invalid parameter: ${message}` };
  }
  if (error instanceof DomainError) {
    const [status, statusCode] = OF_CODE[error.code] ?? [400, GWS.invalidParameter];
    const fields = error.fieldErrors.map((f) => `${wireFieldOf(f.path)} ${f.message}`);
    const statusMessage = fields.length > 0 ? `Invalid parameter: ${fields.join('; ')}` : error.detail;
    return { status, statusCode, statusMessage };
  }
  if (isMalformedJson(error)) {
    return { status: 400, statusCode: GWS.invalidParameter, statusMessage: 'The request body is not valid JSON' };
  }
  const status = e?.statusCode ?? 500;
  if (status === 413) return { status, statusCode: GWS.invalidParameter, statusMessage: 'The request body is larger than 1 MiB' };
  if (status === 415) return { status, statusCode: GWS.invalidParameter, statusMessage: 'Send the body as application/json' };
  if (status >= 400 && status < 500) return { status, statusCode: GWS.invalidParameter, statusMessage: e.message };
  return { status: 500, statusCode: GWS.internalError, statusMessage: 'An internal error occurred' };
}

export function sendFailure(reply: FastifyReply, failure: GwsFailure): FastifyReply {
  if (failure.status === 401) reply.header('www-authenticate', 'Basic realm="contactd", charset="UTF-8"');
  setRetryAfter(reply, failure.status);
  return reply.status(failure.status).type('application/json').send({ statusCode: failure.statusCode, statusMessage: failure.statusMessage });
}
