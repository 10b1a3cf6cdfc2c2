import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { isMalformedJson, setRetryAfter } from '../../http/problems.ts';
import { fieldErrorsOf } from '../../http/validation.ts';

/**
 * Zoom's error body, `{"code": <int>, "message"}`, with the codes the Contact Center OpenAPI
 * gives per case (zoom-contact-center-address-books-openapi.json) and Zoom's usual auth codes:
 * 124 "Invalid access token" (401) and 4711 "Invalid access token, does not contain scopes"
 * (Zoom's answer to a token without the operation's scope; 403 here, as the README says). Over the
 * rate limit, Zoom answers 429 with code 429 (every operation of the file declares the 429).
 */
export const ZOOM = {
  invalidField: 300,
  notFound: 404,
  invalidToken: 124,
  missingScope: 4711,
  internalError: 500,
  serviceUnavailable: 503,
  unitNotFound: 1901,
  unitIdEmpty: 1902,
  addressBookNameEmpty: 1903,
  unitExists: 1904,
  unitProtected: 1905,
  addressBookNotFound: 2001,
  addressBookNotFoundOnDelete: 1201,
  addressBookExists: 2002,
  addressBookNameNotSupported: 2003,
  addressBookProtected: 2004,
  addressBooksNotFound: 2006,
  contactNotFound: 2101,
  phoneOrEmailNeeded: 2102,
  displayNameEmpty: 2104,
  invalidConsumerIds: 2106,
  customFieldExists: 2107,
  dataTypeNotSupported: 2108,
  defaultValueMismatch: 2109,
  customFieldLimit: 2110,
  rateLimited: 429,
  externalUrlNameSpaces: 2111,
  customFieldNotFound: 2112,
  customFieldValueMismatch: 2113,
  customFieldInvalid: 2114,
  defaultNotInPickList: 2115,
  valueNotInPickList: 2116,
  invalidTimezone: 2117,
} as const;

export interface ZoomFailure {
  status: number;
  code: number;
  message: string;
}

/** A failure the dialect itself decides (its translation found the input wanting), in Zoom's terms. */
export class ZoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ZoomError';
  }
}

export const zoomError = (status: number, code: number, message: string): ZoomError => new ZoomError(status, code, message);

/** Which resource a route is about: the same core error has a different Zoom code per operation. */
export interface ErrorContext {
  /** Address book missing: 2001 on most routes, 1201 on DELETE, 2006 for a custom field's books. */
  bookNotFound?: number;
}

/** Core error codes -> HTTP status and Zoom code; Zoom declares no 409, so conflicts are 400s with a code. */
const OF_CODE: Partial<Record<ErrorCode, [number, number]>> = {
  validation_failed: [400, ZOOM.invalidField],
  not_found: [404, ZOOM.notFound],
  forbidden: [400, ZOOM.invalidField],
  unit_not_found: [404, ZOOM.unitNotFound],
  duplicate_unit: [400, ZOOM.unitExists],
  default_unit: [400, ZOOM.unitProtected],
  address_book_not_found: [404, ZOOM.addressBookNotFound],
  duplicate_address_book: [400, ZOOM.addressBookExists],
  default_address_book: [400, ZOOM.addressBookProtected],
  custom_field_not_found: [404, ZOOM.customFieldNotFound],
  duplicate_custom_field: [400, ZOOM.customFieldExists],
  custom_field_limit: [400, ZOOM.customFieldLimit],
  contact_not_found: [404, ZOOM.contactNotFound],
  duplicate_contact: [400, ZOOM.invalidField],
  card_name_taken: [400, ZOOM.invalidField],
  ambiguous_duplicate: [400, ZOOM.invalidField],
  duplicate_external_id: [400, ZOOM.invalidField],
  contact_not_active: [400, ZOOM.invalidField],
  contact_not_deleted: [400, ZOOM.invalidField],
  not_merged_into: [400, ZOOM.invalidField],
  webhook_not_found: [404, ZOOM.notFound],
  version_mismatch: [400, ZOOM.invalidField],
  rate_limited: [429, ZOOM.rateLimited],
  // Zoom's file declares no 503; its generic codes repeat the HTTP status (404, 500), so 503 too.
  service_unavailable: [503, ZOOM.serviceUnavailable],
};

/** Core field paths whose failure Zoom names with a code of its own. */
const OF_FIELD: [RegExp, number][] = [
  [/^display_name$/, ZOOM.displayNameEmpty],
  [/^phone_numbers$|^emails$/, ZOOM.phoneOrEmailNeeded],
  [/^timezone$/, ZOOM.invalidTimezone],
  [/^custom_fields\./, ZOOM.customFieldValueMismatch],
  [/^default_value$/, ZOOM.defaultValueMismatch],
];

/** The messages the OpenAPI file gives for its codes, `$placeholders` filled with what the core named. */
const ZOOM_MESSAGE: Partial<Record<number, (subject: string) => string>> = {
  [ZOOM.unitNotFound]: (id) => `Unit does not exist: ${id}.`,
  [ZOOM.unitExists]: () => 'Unit already exists.',
  [ZOOM.addressBookNotFound]: (id) => `Address book does not exist: ${id}.`,
  [ZOOM.addressBookNotFoundOnDelete]: (id) => `Address book does not exist: ${id}`,
  [ZOOM.addressBookExists]: () => 'Address book already exists.',
  [ZOOM.addressBooksNotFound]: (ids) => `Address books does not exist: ${ids}.`,
  [ZOOM.contactNotFound]: (id) => `Contact does not exist: ${id}.`,
  [ZOOM.phoneOrEmailNeeded]: () => 'At least one of email or phone number fields should be not empty.',
  [ZOOM.displayNameEmpty]: () => 'The `display_name` field cannot be an empty value.',
  [ZOOM.customFieldExists]: (name) => `A custom field with this name already exists: ${name}`,
  [ZOOM.customFieldNotFound]: (id) => `Custom field does not exist: ${id}`,
  // Zoom's wording for its per-second limits (its rate-limits page).
  [ZOOM.rateLimited]: () => 'You have reached the maximum per-second rate limit for this API. Try again later.',
};

/** What a core detail names last: the id of `no unit with id X`, the name of `... already exists: X`. */
function subjectOf(detail: string): string {
  return /(?:with (?:id|key) |exists: )(.+)$/.exec(detail)?.[1] ?? '';
}

export function failureOf(error: unknown, context: ErrorContext = {}): ZoomFailure {
  if (error instanceof ZoomError) return { status: error.status, code: error.code, message: error.message };
  const e = error as FastifyError;
  if (e?.validation) {
    const fields = fieldErrorsOf(e.validation, e.validationContext);
    const dataType = e.validation.some((v) => v.keyword === 'enum' && /data_type$/.test(v.instancePath ?? ''));
    return {
      status: 400,
      code: dataType ? ZOOM.dataTypeNotSupported : ZOOM.invalidField,
      message: `Invalid field. ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`.trim(),
    };
  }
  if (error instanceof DomainError) {
    let [status, code] = OF_CODE[error.code] ?? [400, ZOOM.invalidField];
    if (error.code === 'address_book_not_found' && context.bookNotFound !== undefined) code = context.bookNotFound;
    const field = error.fieldErrors[0];
    if (error.code === 'validation_failed' && field) code = OF_FIELD.find(([pattern]) => pattern.test(field.path))?.[1] ?? ZOOM.invalidField;
    const message = ZOOM_MESSAGE[code]?.(subjectOf(error.detail)) ?? (error.fieldErrors.length > 0 ? error.fieldErrors.map((f) => `${f.path} ${f.message}`).join('; ') : error.detail);
    return { status, code, message };
  }
  if (isMalformedJson(error)) {
    return { status: 400, code: ZOOM.invalidField, message: 'The request body is not valid JSON.' };
  }
  const status = e?.statusCode ?? 500;
  if (status === 413) return { status, code: ZOOM.invalidField, message: 'The request body is larger than 1 MiB.' };
  if (status === 415) return { status, code: ZOOM.invalidField, message: 'Send the body as application/json.' };
  if (status >= 400 && status < 500) return { status, code: ZOOM.invalidField, message: e.message };
  return { status: 500, code: ZOOM.internalError, message: 'An internal error occurred.' };
}

export function sendFailure(reply: FastifyReply, failure: ZoomFailure): FastifyReply {
  if (failure.status === 401) reply.header('www-authenticate', 'Bearer realm="contactd"');
  setRetryAfter(reply, failure.status);
  return reply.status(failure.status).type('application/json').send({ code: failure.code, message: failure.message });
}
