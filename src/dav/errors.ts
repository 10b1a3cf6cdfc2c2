import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../core/errors.ts';
import { logFailure, setRetryAfter } from '../http/problems.ts';
import { errorBody } from './multistatus.ts';
import { dav } from './xml.ts';

/**
 * CardDAV's answers to failures: the status a DAV client acts on, and a short text body a person
 * can read (a phone shows it when a save is refused). Preconditions of RFC 6352 / 6578 are sent
 * as a DAV:error body instead (see DavPrecondition).
 */
const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  account_not_found: 404,
  api_key_not_found: 404,
  address_book_not_found: 404,
  address_book_not_empty: 409,
  default_address_book: 409,
  duplicate_address_book: 409,
  custom_field_not_found: 404,
  duplicate_custom_field: 409,
  contact_not_found: 404,
  duplicate_contact: 409,
  card_name_taken: 409,
  ambiguous_duplicate: 409,
  ambiguous_match: 409,
  duplicate_external_id: 409,
  version_mismatch: 412,
  contact_not_active: 409,
  contact_not_deleted: 409,
  not_merged_into: 409,
  webhook_not_found: 404,
  import_not_found: 404,
  payload_too_large: 413,
  group_not_found: 404,
  duplicate_group: 409,
  unit_not_found: 404,
  duplicate_unit: 409,
  default_unit: 409,
  custom_field_limit: 409,
  rate_limited: 429,
  service_unavailable: 503,
};

/** A failed precondition, answered with its DAV:error element (e.g. 403 DAV:valid-sync-token). */
export class DavPrecondition extends Error {
  constructor(readonly status: number, readonly condition: string, message: string) {
    super(message);
  }
}

export function sendDavError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DavPrecondition) {
    const status = statusFor(error, request);
    logFailure(request, status, error);
    return reply.code(status).type('application/xml; charset=utf-8').send(errorBody(error.condition));
  }
  const status = statusOf(error);
  logFailure(request, status, error);
  setRetryAfter(reply, status);
  const detail = error instanceof DomainError ? error.detail : status >= 500 ? 'the server failed to answer this request' : (error as Error).message;
  return reply.code(status).type('text/plain; charset=utf-8').send(`${detail}\n`);
}

/**
 * RFC 6578 answers an unusable sync token with 403, and every client but one then syncs afresh.
 * Thunderbird does that only on a 400 (CardDAVDirectory.sys.mjs, updateAllFromServerV2); a 403
 * fails its every sync until the book is removed and added again. So Thunderbird gets a 400 with
 * the same DAV:valid-sync-token body.
 */
function statusFor(error: DavPrecondition, request: FastifyRequest): number {
  const thunderbird = /\bThunderbird\//.test(request.headers['user-agent'] ?? '');
  return thunderbird && error.condition === dav('valid-sync-token') ? 400 : error.status;
}

function statusOf(error: unknown): number {
  if (error instanceof DomainError) return STATUS_OF[error.code];
  const status = (error as FastifyError)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
