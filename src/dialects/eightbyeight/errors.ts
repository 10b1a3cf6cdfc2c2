import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type FieldError } from '../../core/errors.ts';
import { isMalformedJson, setRetryAfter } from '../../http/problems.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { wireFieldOf } from './mapping.ts';
import { MSISDN_MESSAGE } from './messages.ts';

/**
 * 8x8 error bodies: `{"code", "message", "errorId" (a UUID), "timestamp"}` on every status of 400
 * and above (8x8 "API Error codes"). Codes from 8x8's table and the Contacts OpenAPI file:
 * 1000 invalid parameter, 1001 the account is not the caller's, 1002 invalid MSISDN, 1200 not
 * authenticated, 1201 access forbidden, 1300 not found, 2000 internal error, 4018 invalid job id,
 * 5003 group name taken. contactd adds (Decision) 5001 several contacts share the addresses,
 * 5002 external id taken, 5004 changed meanwhile, 5005 too many requests (8x8 lists HTTP 429
 * "Too Many Requests" with a Retry-After header but no code for it).
 */
export const CODE = {
  invalidParameter: 1000,
  foreignAccount: 1001,
  invalidMsisdn: 1002,
  notAuthenticated: 1200,
  forbidden: 1201,
  notFound: 1300,
  internal: 2000,
  invalidJobId: 4018,
  ambiguousContacts: 5001,
  externalIdTaken: 5002,
  groupNameTaken: 5003,
  changedMeanwhile: 5004,
  tooManyRequests: 5005,
} as const;

export { MSISDN_MESSAGE } from './messages.ts';

export interface EightByEightFailure {
  status: number;
  code: number;
  message: string;
}

const OF_CODE: Partial<Record<ErrorCode, [number, number]>> = {
  validation_failed: [400, CODE.invalidParameter],
  unauthorized: [401, CODE.notAuthenticated],
  forbidden: [403, CODE.forbidden],
  not_found: [404, CODE.notFound],
  contact_not_found: [404, CODE.notFound],
  group_not_found: [404, CODE.notFound],
  duplicate_contact: [409, CODE.ambiguousContacts],
  card_name_taken: [409, CODE.ambiguousContacts],
  ambiguous_duplicate: [409, CODE.ambiguousContacts],
  duplicate_external_id: [409, CODE.externalIdTaken],
  duplicate_group: [409, CODE.groupNameTaken],
  contact_not_active: [409, CODE.changedMeanwhile],
  contact_not_deleted: [409, CODE.changedMeanwhile],
  not_merged_into: [409, CODE.changedMeanwhile],
  webhook_not_found: [404, CODE.notFound],
  version_mismatch: [409, CODE.changedMeanwhile],
  rate_limited: [429, CODE.tooManyRequests],
  // 8x8 lists no code of its own for this; 2000 is its "internal error", with a 503 and Retry-After.
  service_unavailable: [503, CODE.internal],
};

const MESSAGE_OF: Partial<Record<ErrorCode, string>> = {
  ambiguous_duplicate: 'Conflict: more than one contact was found based on a provided set of addresses',
  duplicate_group: 'A group with the same name already exists',
  rate_limited: 'Too Many Requests: the user has sent too many requests in a given amount of time',
  service_unavailable: 'Service temporarily unavailable, try again shortly',
};

/** A phone field failed: 8x8 answers 1002 with its own message. */
function isMsisdnField(path: string): boolean {
  return /(^|\.)msisdns?(\[\d+\])?$|^phone_numbers/.test(path);
}

/** A failure with an 8x8 status and code of its own (e.g. 404 / 4018 "Invalid jobId"). */
export class EightByEightError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function failureOf(error: unknown): EightByEightFailure {
  if (error instanceof EightByEightError) return { status: error.status, code: error.code, message: error.message };
  const e = error as FastifyError;
  if (e?.validation) return fieldFailure(fieldErrorsOf(e.validation, e.validationContext).map((f) => ({ path: f.path, message: f.message })));
  if (error instanceof DomainError) {
    if (error.code === 'validation_failed') return fieldFailure(error.fieldErrors.map((f) => ({ path: wireFieldOf(f.path), message: f.message })), error.detail);
    const [status, code] = OF_CODE[error.code] ?? [400, CODE.invalidParameter];
    return { status, code, message: messageOf(error.code, error.detail) };
  }
  if (isMalformedJson(error)) {
    return { status: 400, code: CODE.invalidParameter, message: 'The request body is not valid JSON' };
  }
  const status = e?.statusCode ?? 500;
  if (status === 413) return { status, code: CODE.invalidParameter, message: 'The request body is too large' };
  if (status === 415) return { status, code: CODE.invalidParameter, message: 'Send the body as application/json (multipart/form-data for batch uploads)' };
  if (status >= 400 && status < 500) return { status, code: CODE.invalidParameter, message: e.message };
  return { status: 500, code: CODE.internal, message: 'Internal Error' };
}

function fieldFailure(fields: FieldError[], fallback = 'Invalid parameter'): EightByEightFailure {
  if (fields.some((f) => isMsisdnField(f.path))) return { status: 400, code: CODE.invalidMsisdn, message: MSISDN_MESSAGE };
  const message = fields.length > 0 ? `Invalid parameter: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}` : fallback;
  return { status: 400, code: CODE.invalidParameter, message };
}

/** 8x8's wording of a core error's detail. */
export function messageOf(coreCode: string, detail: string): string {
  return MESSAGE_OF[coreCode as ErrorCode] ?? detail.replace(/^no (group|contact) with id/, 'Unable to find $1 with id');
}

/** The 8x8 code of a core error, for per-item batch results. */
export function codeOf(coreCode: string): number {
  if (/^\d+$/.test(coreCode)) return Number(coreCode);
  return OF_CODE[coreCode as ErrorCode]?.[1] ?? CODE.invalidParameter;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 8x8 routes: the status that the operation's own declared responses allow for a refused
     * `accountId` (400 where the file declares 400, else 404), and for an unknown group or contact
     * named in the request (404, or 400 on the batch routes, which declare only 202 and 400).
     */
    eightByEight?: { refusal: 400 | 404; notFound: 400 | 404 };
  }
}

/** A failure's status as the route's declared responses allow it (see `eightByEight`). */
export function declaredStatusFor(request: FastifyRequest, failure: EightByEightFailure): EightByEightFailure {
  const declared = request.routeOptions?.config?.eightByEight;
  if (declared && failure.status === 404) return { ...failure, status: declared.notFound };
  return failure;
}

export function sendFailure(reply: FastifyReply, failure: EightByEightFailure): FastifyReply {
  if (failure.status === 401) reply.header('www-authenticate', 'Bearer realm="8x8 Connect"');
  setRetryAfter(reply, failure.status);
  return reply
    .status(failure.status)
    .type('application/json')
    .send({ code: failure.code, message: failure.message, errorId: randomUUID(), timestamp: new Date().toISOString() });
}
