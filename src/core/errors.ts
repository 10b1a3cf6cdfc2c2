/** A field that failed validation, named by its path in the caller's input (e.g. `phone_numbers[0].number`). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Every failure the core reports. The code is stable and snake_case; the HTTP layer and each
 * dialect map it to their own status and body in one table each.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'account_not_found'
  | 'api_key_not_found'
  | 'address_book_not_found'
  | 'address_book_not_empty'
  | 'default_address_book'
  | 'duplicate_address_book'
  | 'custom_field_not_found'
  | 'duplicate_custom_field'
  | 'contact_not_found'
  | 'duplicate_contact'
  /** A CardDAV resource name that another card of the account already has (in another address book). */
  | 'card_name_taken'
  | 'ambiguous_duplicate'
  /** An upsert matching by phone or email found several contacts: which one it means is not guessed. */
  | 'ambiguous_match'
  | 'duplicate_external_id'
  | 'version_mismatch'
  | 'contact_not_active'
  /** A restore of a contact that is not deleted. */
  | 'contact_not_deleted'
  /** An unmerge naming a source that is not merged into that contact (never merged, or unmerged already). */
  | 'not_merged_into'
  | 'webhook_not_found'
  | 'group_not_found'
  | 'duplicate_group'
  | 'unit_not_found'
  | 'duplicate_unit'
  | 'default_unit'
  | 'custom_field_limit'
  | 'rate_limited'
  | 'import_not_found'
  /** An upload larger than the configured limit (IMPORT_MAX_BYTES): nothing of it is kept. */
  | 'payload_too_large'
  /** The database is away (restarting, failing over): nothing was done; try again shortly. */
  | 'service_unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly fieldErrors: FieldError[] = [],
    /** Extra members a problem body carries, e.g. the id of the contact a duplicate collides with. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

/** The database is away (the store's translation of lost or refused connections). */
export function isUnavailable(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === 'service_unavailable';
}

/**
 * A failure of one item of a bulk request, reported in that item's result. `service_unavailable`
 * is not one: the database being away ends the whole transaction, whatever the item.
 */
export function isItemFailure(error: unknown): error is DomainError {
  return error instanceof DomainError && !isUnavailable(error);
}

/**
 * For `.catch` where a refusal (not found, another tenant's) means "none": it gives `undefined`,
 * but the database being away is still thrown, so that it is answered 503 and not "not found".
 */
export function undefinedIfRefused(error: unknown): undefined {
  if (isItemFailure(error)) return undefined;
  throw error;
}

/** A 400 failure naming every invalid field. */
export function validationError(errors: FieldError[]): DomainError {
  return new DomainError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** A 400-class failure naming one field. */
export function invalidField(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/** Collects field errors so that one answer names every bad field, not only the first. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw validationError(this.errors);
  }
}
