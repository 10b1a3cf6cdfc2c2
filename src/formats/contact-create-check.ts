import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../core/errors.ts';
import { ContactCreate, ContactType, CustomFieldValue, EmailInput, Messaging, PhoneNumberInput } from '../http/schemas/contact.schema.ts';
import { fieldErrorsOf } from '../http/validation.ts';


/**
 * The native create body's schema, checked on a record read from a file: an NDJSON line, or a
 * CSV row once mapped. It is the one schema `POST /v1/contacts` checks, so a file accepts exactly
 * what the API accepts (lengths, types, unknown keys).
 */
const ajv = new Ajv.default({ coerceTypes: false, allErrors: true, strict: false });
addFormats.default(ajv);
for (const schema of [ContactType, PhoneNumberInput, EmailInput, Messaging, CustomFieldValue]) ajv.addSchema(schema as object);
const validate = ajv.compile(ContactCreate as object);

/** The fields of `value` that a create body refuses, by path (`phone_numbers[0].number`); empty when it fits. */
export function checkContactCreate(value: unknown): FieldError[] {
  return validate(value) ? [] : fieldErrorsOf(validate.errors ?? []);
}

/** The keys a create body may have. */
export const CONTACT_CREATE_KEYS: ReadonlySet<string> = new Set(Object.keys(ContactCreate.properties));
