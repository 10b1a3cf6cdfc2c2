import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { isMalformedJson, setRetryAfter } from '../../http/problems.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { wireFieldOf } from './mapping.ts';

/**
 * Kore.ai's public APIs answer failures as `{"errors": [{"msg": "...", "code": ...}]}` (the shape
 * its platform returns, e.g. `"msg": "Invalid SDK credentials"`); the contact pages document no
 * error of their own. contactd's codes are the strings below, one per HTTP status it uses.
 */
export const KORE = {
  badRequest: 'BadRequest',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  notFound: 'NotFound',
  duplicateNumber: 'DuplicateNumber',
  conflict: 'Conflict',
  payloadTooLarge: 'PayloadTooLarge',
  unsupportedMediaType: 'UnsupportedMediaType',
  tooManyRequests: 'TooManyRequests',
  internal: 'InternalServerError',
  serviceUnavailable: 'ServiceUnavailable',
} as const;

export interface KoreErrorItem {
  msg: string;
  code: string;
  field?: string;
}

export interface KoreFailure {
  status: number;
  errors: KoreErrorItem[];
}

/** Core error codes -> HTTP status and Kore code. A deleted (INACTIVE) contact is gone for Kore. */
const OF_CODE: Partial<Record<ErrorCode, [number, string]>> = {
  validation_failed: [400, KORE.badRequest],
  unauthorized: [401, KORE.unauthorized],
  forbidden: [403, KORE.forbidden],
  not_found: [404, KORE.notFound],
  contact_not_found: [404, KORE.notFound],
  contact_not_active: [404, KORE.notFound],
  contact_not_deleted: [409, KORE.conflict],
  not_merged_into: [409, KORE.conflict],
  webhook_not_found: [404, KORE.notFound],
  duplicate_contact: [409, KORE.duplicateNumber],
  card_name_taken: [409, KORE.conflict],
  ambiguous_duplicate: [409, KORE.duplicateNumber],
  version_mismatch: [409, KORE.conflict],
  rate_limited: [429, KORE.tooManyRequests],
  service_unavailable: [503, KORE.serviceUnavailable],
};

export function failure(status: number, code: string, msg: string): KoreFailure {
  return { status, errors: [{ msg, code }] };
}

/**
 * What a core error says to a Kore client; also used per item of the bulk routes and import rows
 * (`fieldOf` names core fields as that input does: JSON paths, or CSV columns).
 */
export function domainFailureOf(error: DomainError, fieldOf: (path: string) => string = wireFieldOf): KoreFailure {
  const [status, code] = OF_CODE[error.code] ?? [400, KORE.badRequest];
  // An item of an array body (ContactService.createAll): named as the body's JSON path, `[1].firstName`.
  const item = typeof error.extra.item === 'number' ? `[${error.extra.item}]` : undefined;
  const named = item ? (path: string) => `${item}.${fieldOf(path)}` : fieldOf;
  const prefix = item ? `${item}: ` : '';
  if (error.code === 'duplicate_contact') return failure(status, code, `${prefix}A contact with this phone number already exists in this stream`);
  if (error.code === 'contact_not_active') return failure(status, code, `${error.detail}: it was deleted and cannot be changed`);
  if (error.fieldErrors.length === 0) return failure(status, code, error.detail);
  return { status, errors: error.fieldErrors.map((f) => ({ msg: `${named(f.path)}: ${f.message}`, code, field: named(f.path) })) };
}

export function failureOf(error: unknown): KoreFailure {
  const e = error as FastifyError;
  if (e?.validation) {
    const fields = fieldErrorsOf(e.validation, e.validationContext);
    return { status: 400, errors: fields.map((f) => ({ msg: `${f.path}: ${f.message}`, code: KORE.badRequest, field: f.path })) };
  }
  if (error instanceof DomainError) return domainFailureOf(error);
  if (isMalformedJson(error)) {
    return failure(400, KORE.badRequest, 'The request body is not valid JSON');
  }
  const status = e?.statusCode ?? 500;
  if (status === 413) return failure(413, KORE.payloadTooLarge, e.code === 'FST_REQ_FILE_TOO_LARGE' ? e.message : 'The request body is larger than 1 MiB');
  if (status === 415) return failure(415, KORE.unsupportedMediaType, 'Send the body as application/json (import-contacts: multipart/form-data)');
  if (status >= 400 && status < 500) return failure(status, status === 404 ? KORE.notFound : KORE.badRequest, e.message);
  return failure(500, KORE.internal, 'An internal error occurred');
}

export function sendFailure(reply: FastifyReply, f: KoreFailure): FastifyReply {
  setRetryAfter(reply, f.status);
  return reply.status(f.status).type('application/json').send({ errors: f.errors });
}
