import { CONTACT_LIMITS } from '../../core/contacts/contact-state.ts';
import { Type, type Static } from 'typebox';

/**
 * The wire shapes of Apptoto's contacts API (apptoto-create-contacts.txt and the PUT /v1/contacts
 * reference; field names as Apptoto spells them). Inline schemas: they appear in /openapi.json
 * under the "Apptoto" tag.
 */

export const tags = ['Apptoto'];
export const security: Record<string, string[]>[] = [{ basic: [] }, { bearer: [] }];

/** Most contacts one POST or PUT takes; the 1 MiB body limit usually comes first. */
export const MAX_ITEMS = 1000;
export const MAX_PAGE_SIZE = 1000;
/** Apptoto's lists default to 30 per page (GET /v1/events). */
export const DEFAULT_PAGE_SIZE = 30;

/**
 * Every contactd address book is of one type, `contactd`, which allows these phone and email
 * types (GET /address_books shows them). Stored contacts written natively may carry others.
 */
export const BOOK_TYPE = 'contactd';
export const PHONE_TYPES = ['mobile', 'home', 'work', 'main', 'fax', 'pager', 'other'] as const;
export const EMAIL_TYPES = ['home', 'work', 'other'] as const;

const phoneText = (description: string) => Type.String({ minLength: 1, maxLength: 64, description, examples: ['650-555-1212'] });
const emailText = (description: string) => Type.String({ minLength: 1, maxLength: 320, description, examples: ['fred@example.com'] });

export const PhoneNumberIn = Type.Object(
  {
    number: phoneText('The number, in any common format; national numbers are read in the server\'s DEFAULT_REGION.'),
    is_mobile: Type.Optional(Type.Boolean({ description: 'true sets the type to "mobile".' })),
    type: Type.Optional(Type.Enum([...PHONE_TYPES], { description: 'One of the phone types of the book\'s type (GET /address_books); default "other", or "mobile" with is_mobile.' })),
    is_primary: Type.Optional(Type.Boolean({ description: 'The number to use first; at most one per contact (default: the first).' })),
  },
  { additionalProperties: false },
);

export const EmailAddressIn = Type.Object(
  {
    address: emailText('The email address.'),
    type: Type.Optional(Type.Enum([...EMAIL_TYPES], { description: 'One of the email types of the book\'s type (GET /address_books); default "other".' })),
    is_primary: Type.Optional(Type.Boolean({ description: 'The address to use first; at most one per contact (default: the first).' })),
  },
  { additionalProperties: false },
);

const CustomData = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 4000 }), Type.Number(), Type.Boolean()]), {
  maxProperties: 100,
  description: 'Values of the account\'s custom fields, by key (define them with POST /v1/custom-fields); each is checked against its field\'s type. Replaced whole when given.',
  examples: [{ loyalty_tier: 'gold' }],
});

const contactFields = {
  address_book: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The name of the address book; created when missing (on a create).', examples: ['Patients'] })),
  address_book_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The id of the address book.', examples: [3] })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The full name; takes precedence over first_name and last_name, which are then its first word and the rest.', examples: ['Fred Smith'] })),
  first_name: Type.Optional(Type.String({ maxLength: 100, description: 'The first name (when name is not given).', examples: ['Fred'] })),
  last_name: Type.Optional(Type.String({ maxLength: 100, description: 'The last name (when name is not given).', examples: ['Smith'] })),
  phone: Type.Optional(phoneText('A phone number; added to phone_numbers.')),
  email: Type.Optional(emailText('An email address; added to email_addresses.')),
  phone_numbers: Type.Optional(Type.Array(PhoneNumberIn, { maxItems: CONTACT_LIMITS.phone_numbers, description: `The contact's phone numbers (replaced whole on PUT). With \`phone\` and \`add_phone\`, at most ${CONTACT_LIMITS.phone_numbers} different numbers per contact.` })),
  email_addresses: Type.Optional(Type.Array(EmailAddressIn, { maxItems: CONTACT_LIMITS.emails, description: `The contact's email addresses (replaced whole on PUT). With \`email\` and \`add_email\`, at most ${CONTACT_LIMITS.emails} different addresses per contact.` })),
  external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your id for the contact, unique across the account.', examples: ['crm-1001'] })),
  custom_data: Type.Optional(CustomData),
};

export const ContactCreateItem = Type.Object(contactFields, {
  additionalProperties: false,
  description: 'A contact to create: address_book or address_book_id, and name (or first_name / last_name).',
  examples: [{ address_book: 'Patients', name: 'Fred Smith', phone: '650-555-1212', email: 'fred@example.com', external_id: 'crm-1001' }],
});

export const ContactPutItem = Type.Object(
  {
    id: Type.Optional(Type.Integer({ minimum: 1, description: 'The id of the contact to change.', examples: [42] })),
    ...contactFields,
    address_book_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The address book: where a new contact goes; for an existing one it must be its own (a contact never moves).' })),
    external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Without id: the contact to change (created when no contact has it). With id: set as the contact\'s external id.' })),
    add_phone: Type.Optional(phoneText('A phone number added to the contact\'s numbers.')),
    add_email: Type.Optional(emailText('An email address added to the contact\'s addresses.')),
  },
  {
    additionalProperties: false,
    description: 'A contact to create or change, matched on id or external_id (neither: a new contact). Fields given are changed; phone_numbers, email_addresses and custom_data given replace the stored ones whole.',
    examples: [{ external_id: 'crm-1001', last_name: 'Smyth', phone_numbers: [{ number: '650-555-1313', is_mobile: true }] }],
  },
);

export const CreateBody = Type.Object(
  { contacts: Type.Array(ContactCreateItem, { minItems: 1, maxItems: MAX_ITEMS, description: `Up to ${MAX_ITEMS} contacts; each is checked and written on its own.` }) },
  { additionalProperties: false },
);

export const PutBody = Type.Object(
  { contacts: Type.Array(ContactPutItem, { minItems: 1, maxItems: MAX_ITEMS, description: `Up to ${MAX_ITEMS} contacts; each is checked and written on its own.` }) },
  { additionalProperties: false },
);

/** The envelope alone, checked before each item is checked on its own. */
export const Envelope = Type.Object({ contacts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ITEMS }) }, { additionalProperties: false });

const nullableText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const Timestamp = Type.String({ format: 'date-time' });

export const ApptotoContact = Type.Object(
  {
    id: Type.Integer({ description: 'The contact\'s id.' }),
    address_book_id: Type.Integer({ description: 'The id of its address book.' }),
    address_book: Type.String({ description: 'The name of its address book.' }),
    external_id: nullableText('Your id for the contact.'),
    name: nullableText('The full name.'),
    first_name: nullableText('The first name.'),
    last_name: nullableText('The last name.'),
    phone: nullableText('The primary phone number, as it was given.'),
    normalized_phone: nullableText('The primary phone number in E.164.'),
    email: nullableText('The primary email address.'),
    phone_numbers: Type.Array(Type.Object({
      number: Type.String(),
      normalized_number: Type.String({ description: 'E.164.' }),
      type: Type.String(),
      is_mobile: Type.Boolean(),
      is_primary: Type.Boolean(),
    })),
    email_addresses: Type.Array(Type.Object({ address: Type.String(), type: Type.String(), is_primary: Type.Boolean() })),
    custom_data: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { examples: [{ id: 42, address_book_id: 3, address_book: 'Patients', external_id: 'crm-1001', name: 'Fred Smith', first_name: 'Fred', last_name: 'Smith', phone: '650-555-1212', normalized_phone: '+16505551212', email: 'fred@example.com', phone_numbers: [{ number: '650-555-1212', normalized_number: '+16505551212', type: 'other', is_mobile: false, is_primary: true }], email_addresses: [{ address: 'fred@example.com', type: 'other', is_primary: true }], custom_data: {}, created_at: '2026-12-01T07:00:00.000Z', updated_at: '2026-12-01T07:00:00.000Z' }] },
);

const FieldProblem = Type.Object({ field: Type.String({ description: 'The field, as Apptoto names it (e.g. phone_numbers[0].number).' }), message: Type.String() });

export const ApptotoError = Type.Object(
  {
    code: Type.String({ description: 'Stable snake_case code: validation_failed, invalid_json, unauthorized, forbidden, not_found, contact_not_found, address_book_not_found, duplicate_external_id, duplicate_contact, ...' }),
    message: Type.String({ description: 'What went wrong.' }),
    fields: Type.Optional(Type.Array(FieldProblem, { description: 'Each invalid field.' })),
  },
  { examples: [{ code: 'unauthorized', message: 'the API key is unknown or revoked' }] },
);

/** In a POST or PUT answer, in the place of an item that failed: the error it alone would have had. */
export const ItemFailure = Type.Object(
  {
    status: Type.Integer({ description: 'The HTTP status this item alone would have had (400, 403, 404, 409).' }),
    code: ApptotoError.properties.code,
    message: ApptotoError.properties.message,
    fields: ApptotoError.properties.fields,
  },
  { examples: [{ status: 400, code: 'validation_failed', message: 'phone_numbers[0].number: "abc" is not a phone number', fields: [{ field: 'phone_numbers[0].number', message: '"abc" is not a phone number' }] }] },
);

export const WriteAnswer = Type.Object({
  contacts: Type.Array(Type.Union([ApptotoContact, ItemFailure]), { description: 'One entry per item, in order: the contact as stored, or the item\'s failure (it has `code`, no `id`).' }),
});

/** When no item was written: the error (the first failure's code and message) with every item's failure. */
export const FailedWriteAnswer = Type.Object(
  {
    ...ApptotoError.properties,
    contacts: Type.Optional(Type.Array(ItemFailure, { description: 'Each item\'s failure, in order (absent when the body itself was refused).' })),
  },
  { examples: [{ code: 'validation_failed', message: 'name: is required (or first_name and last_name)', fields: [{ field: 'name', message: 'is required (or first_name and last_name)' }], contacts: [{ status: 400, code: 'validation_failed', message: 'name: is required (or first_name and last_name)', fields: [{ field: 'name', message: 'is required (or first_name and last_name)' }] }] }] },
);

/** The error answers of POST and PUT /contacts: a refused body, or every item refused. */
export function writeErrors() {
  const failed = (status: number, description: string) => [status, { ...FailedWriteAnswer, description }] as const;
  return {
    ...errors(413, 415),
    ...Object.fromEntries([
      failed(400, 'Malformed JSON or envelope; or no item was written and each failed as invalid (validation_failed) or for several reasons.'),
      failed(403, 'The key lacks the scope; or no item was written and each was refused (a User or Queue).'),
      failed(404, 'No item was written: each names an unknown contact or address book.'),
      failed(409, 'No item was written: each collides (duplicate_external_id, duplicate_contact).'),
    ]),
  };
}

export const ListQuery = Type.Object(
  {
    address_book_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only contacts of this address book.' })),
    external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only the contact with this external id.' })),
    phone_number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only contacts holding this number, in any format (national numbers in the server\'s DEFAULT_REGION).' })),
    email_address: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Only contacts holding this email address (case ignored).' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: 'The page to fetch (1 based).' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `The number of contacts per page (1 to ${MAX_PAGE_SIZE}).` })),
  },
  // Parameters Apptoto clients send that contactd does not know are ignored, as GWS's are.
  { additionalProperties: true },
);

export const ListAnswer = Type.Object({
  contacts: Type.Array(ApptotoContact, { description: 'Live contacts matching every filter, oldest first.' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  total_count: Type.Integer({ description: 'How many contacts match over all pages.' }),
});

export const ApptotoAddressBook = Type.Object(
  {
    id: Type.Integer({ description: 'The address book\'s id (address_book_id).' }),
    name: Type.String(),
    type: Type.String({ description: `The book's type; every contactd book is "${BOOK_TYPE}".` }),
    is_default: Type.Boolean({ description: 'The account\'s default book.' }),
    phone_types: Type.Array(Type.String(), { description: 'The phone types contacts of this book may have.' }),
    email_types: Type.Array(Type.String(), { description: 'The email types contacts of this book may have.' }),
  },
  { examples: [{ id: 3, name: 'Patients', type: BOOK_TYPE, is_default: false, phone_types: [...PHONE_TYPES], email_types: [...EMAIL_TYPES] }] },
);

export const BooksQuery = Type.Object({}, { additionalProperties: true });
export const BooksAnswer = Type.Object({ address_books: Type.Array(ApptotoAddressBook, { description: 'Every address book of the account, oldest first.' }) });

export type ApptotoContact = Static<typeof ApptotoContact>;
export type CreateItem = Static<typeof ContactCreateItem>;
export type PutItem = Static<typeof ContactPutItem>;
export type ListQuery = Static<typeof ListQuery>;

/** The error answers a route documents, by HTTP status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, { ...ApptotoError, description: ERROR_MEANING[s] ?? 'Error.' }]));
}

const ERROR_MEANING: Record<number, string> = {
  400: 'Malformed JSON, a body that is not {"contacts": [...]}, or a bad query parameter (validation_failed, invalid_json).',
  401: 'No, unknown or revoked credentials (unauthorized).',
  403: 'The key lacks the scope (forbidden).',
  404: 'No such address book (address_book_not_found) or route (not_found).',
  413: 'The body is larger than 1 MiB (payload_too_large).',
  415: 'The body is not JSON (unsupported_media_type).',
};
