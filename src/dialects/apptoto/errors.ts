import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { isMalformedJson, setRetryAfter } from '../../http/problems.ts';
import { fieldErrorsOf } from '../../http/validation.ts';

/**
 * Apptoto documents no error body, so contactd answers (README Decision) with the HTTP status
 * and `{"code": "<snake_case>", "message": "...", "fields": [{"field", "message"}]}`, `fields`
 * only when fields were invalid. The codes are the core's own, plus a few of the HTTP layer's.
 */
export interface ApptotoFailure {
  status: number;
  code: string;
  message: string;
  fields?: { field: string; message: string }[];
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  contact_not_found: 404,
  address_book_not_found: 404,
  duplicate_contact: 409,
  card_name_taken: 409,
  ambiguous_duplicate: 409,
  duplicate_external_id: 409,
  duplicate_address_book: 409,
  contact_not_active: 409,
  contact_not_deleted: 409,
  not_merged_into: 409,
  webhook_not_found: 404,
  // A concurrent change of the same contact: the caller may simply send it again.
  version_mismatch: 409,
  rate_limited: 429,
  service_unavailable: 503,
};

/** A failure of the core, named in Apptoto's field names by `wireField`. */
export function failureOfDomain(error: DomainError, wireField: (path: string) => string = wireFieldOf): ApptotoFailure {
  const fields = error.fieldErrors.map((f) => ({ field: wireField(f.path), message: f.message }));
  const message = fields.length > 0 ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : error.detail;
  return { status: STATUS_OF[error.code] ?? 400, code: error.code, message, ...(fields.length > 0 ? { fields } : {}) };
}

export function failureOf(error: unknown): ApptotoFailure {
  const e = error as FastifyError;
  if (e?.validation) {
    const fields = fieldErrorsOf(e.validation, e.validationContext).map((f) => ({ field: f.path, message: f.message }));
    return { status: 400, code: 'validation_failed', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
  }
  if (error instanceof DomainError) return failureOfDomain(error);
  if (isMalformedJson(error)) {
    return { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' };
  }
  const status = e?.statusCode ?? 500;
  if (status === 413) return { status, code: 'payload_too_large', message: 'the request body is larger than 1 MiB' };
  if (status === 415) return { status, code: 'unsupported_media_type', message: 'send the body as application/json' };
  if (status >= 400 && status < 500) return { status, code: 'bad_request', message: e.message };
  return { status: 500, code: 'internal_error', message: 'an internal error occurred' };
}

export function sendFailure(reply: FastifyReply, failure: ApptotoFailure): FastifyReply {
  if (failure.status === 401) reply.header('www-authenticate', 'Basic realm="contactd", charset="UTF-8"');
  setRetryAfter(reply, failure.status);
  const { status, ...body } = failure;
  return reply.status(status).type('application/json').send(body);
}

/** Core field paths as Apptoto names them (`emails[0].address` -> `email_addresses[0].address`). */
export function wireFieldOf(path: string): string {
  if (path === 'display_name') return 'name';
  if (path.startsWith('emails')) return `email_addresses${path.slice('emails'.length)}`;
  if (path.startsWith('custom_fields')) return `custom_data${path.slice('custom_fields'.length)}`;
  return path;
}
