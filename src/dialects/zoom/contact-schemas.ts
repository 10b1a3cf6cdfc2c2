import { Type, type TSchema } from 'typebox';
import { MAX_PAGE, PageQuery, pageAnswer, zoomId } from './schemas.ts';

/** A contact of an address book, as Zoom spells it (createContact, getContact, listContacts, updateContact). */

export const MAX_PHONES = 5;
export const MAX_EMAILS = 4;
export const MAX_FILTER_VALUES = 10;
export const MAX_BATCH = 300;

/** Zoom's text limits, from the list answer's schema; the dialect refuses longer input (400, code 300). */
export const TEXT_LIMITS = { display_name: 125, first_name: 36, last_name: 36, location: 256, timezone: 100, account_number: 256, company: 256, role: 256 } as const;

const text = (field: keyof typeof TEXT_LIMITS, description: string, example: string) => Type.String({ maxLength: TEXT_LIMITS[field], description, examples: [example] });

const writable = {
  display_name: text('display_name', 'The contact\'s display name; required on create (missing or empty: 400, code 2104).', 'Jill Chill'),
  first_name: text('first_name', 'The contact\'s first name.', 'Jill'),
  last_name: text('last_name', 'The contact\'s last name.', 'Chill'),
  phone_numbers: Type.Array(Type.String({ minLength: 1, maxLength: 64, examples: ['+12048002447'] }), { maxItems: MAX_PHONES, description: 'The contact\'s phone numbers (E.164, or national in the server\'s DEFAULT_REGION). A create needs this and/or `emails` (else 2102).' }),
  emails: Type.Array(Type.String({ format: 'email', maxLength: 320, examples: ['user@example.com'] }), { maxItems: MAX_EMAILS, description: 'The contact\'s email addresses.' }),
  location: text('location', 'The contact\'s location.', 'San Jose'),
  timezone: text('timezone', 'An IANA time zone (else 400, code 2117).', 'America/Los_Angeles'),
  account_number: text('account_number', 'The contact\'s account number.', '112233445566'),
  company: text('company', 'The contact\'s company.', 'Example'),
  role: text('role', 'The contact\'s role.', 'Agent'),
  variables: Type.Array(
    Type.Object({
      variable_id: Type.String({ minLength: 1, maxLength: 36, description: 'A custom field\'s ID (unknown: 400, code 2114).' }),
      variable_value: Type.Optional(Type.String({ maxLength: 512, description: 'The value, as text; empty or absent clears it.' })),
    }, { additionalProperties: false }),
    { maxItems: 100, description: 'Values of the account\'s custom fields (a variable is a custom field).' },
  ),
  consumer_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10, description: 'Zoom consumer IDs of the contact (kept as `zoom_consumer` messaging handles).' }),
  custom_fields: Type.Array(
    Type.Object({
      custom_field_id: Type.String({ minLength: 1, maxLength: 36, description: 'A custom field\'s ID (unknown: 400, code 2114).' }),
      custom_field_value: Type.Optional(Type.String({ maxLength: 512, description: 'The value, as text (dateTime: unix seconds); empty or absent clears it.' })),
    }, { additionalProperties: false, required: ['custom_field_id'] }),
    { maxItems: 100, description: 'Values of the account\'s custom fields.' },
  ),
};

const optional = Object.fromEntries(Object.entries(writable).map(([k, v]) => [k, Type.Optional(v as TSchema)])) as { [K in keyof typeof writable]: ReturnType<typeof Type.Optional<(typeof writable)[K]>> };

const example = { display_name: 'Jill Chill', first_name: 'Jill', last_name: 'Chill', phone_numbers: ['+12048002447'], emails: ['user@example.com'], location: 'San Jose', company: 'Example' };

/**
 * Fields only answers carry: a body may hold them (a client sending back what it read), and
 * they are ignored. Any other unknown field is a 400, so that a misspelt one is not lost quietly.
 */
const readOnly = {
  contact_id: Type.Optional(Type.Unknown({ description: 'Read-only: ignored.' })),
  address_book_id: Type.Optional(Type.Unknown({ description: 'Read-only (the path names the book): ignored.' })),
  address_book_name: Type.Optional(Type.Unknown({ description: 'Read-only: ignored.' })),
  custom_fields_url: Type.Optional(Type.Unknown({ description: 'Read-only: ignored.' })),
};

/** README Decision: a create needs `display_name` and one phone or email (checked by the core policy, codes 2104 / 2102). */
export const ContactCreateBody = Type.Object({ ...optional, ...readOnly }, { additionalProperties: false, examples: [example] });
/** README Decision: a PATCH requires nothing. */
export const ContactPatchBody = Type.Object({ ...optional, ...readOnly }, { additionalProperties: false, examples: [{ location: 'New York' }] });

export const ZoomVariable = Type.Object({
  variable_group_id: Type.Optional(Type.String({ description: 'The custom field\'s group.' })),
  variable_id: Type.String({ description: 'The custom field\'s ID.' }),
  variable_name: Type.String({ description: 'The custom field\'s name.' }),
  data_type: Type.Enum(['string', 'boolean'], { description: 'boolean for a boolean field; string for every other type (the only two the file allows here).' }),
  variable_value: Type.String({ description: 'The value, as text.' }),
});

export const ZoomContact = Type.Object(
  {
    contact_id: zoomId('The contact\'s ID.'),
    display_name: Type.String({ maxLength: 125 }),
    first_name: Type.Optional(Type.String({ maxLength: 36 })),
    last_name: Type.Optional(Type.String({ maxLength: 36 })),
    phone_numbers: Type.Array(Type.String({ examples: ['+12048002447'] }), { maxItems: MAX_PHONES, description: 'E.164; always present, possibly empty (README Decision).' }),
    emails: Type.Optional(Type.Array(Type.String(), { maxItems: MAX_EMAILS })),
    location: Type.Optional(Type.String({ maxLength: 256 })),
    timezone: Type.Optional(Type.String({ maxLength: 100 })),
    account_number: Type.Optional(Type.String({ maxLength: 256 })),
    company: Type.Optional(Type.String({ maxLength: 256 })),
    role: Type.Optional(Type.String({ maxLength: 256 })),
    address_book_id: Type.String(),
    address_book_name: Type.String(),
    variables: Type.Optional(Type.Array(ZoomVariable)),
    consumer_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
    custom_fields_url: Type.Optional(Type.String({ description: 'Where the contact\'s custom field values are listed (present when it has any).' })),
  },
  { examples: [{ contact_id: '2f0c8a51-3f0e-4a8e-9d5b-6c1e2a7b9d10', display_name: 'Jill Chill', phone_numbers: ['+12048002447'], emails: ['user@example.com'], address_book_id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', address_book_name: 'Address Book' }] },
);

export const ContactParams = Type.Object({ addressBookId: zoomId('The address book\'s ID.'), contactId: zoomId('The contact\'s ID.') });

/** Repeated (`?emails=a&emails=b`) or comma-separated; the route counts them (more than 10: 400, code 300). */
const filterList = (description: string) => Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 400 }), { maxItems: MAX_PAGE })], { description }));
export const ContactListQuery = Type.Object(
  {
    ...PageQuery.properties,
    phone_numbers: filterList('Only contacts holding one of these numbers (exact, E.164 after parsing; up to 10).'),
    emails: filterList('Only contacts holding one of these emails (exact, ignoring case; up to 10).'),
  },
  { additionalProperties: true },
);
export const ContactList = pageAnswer({ contacts: Type.Array(ZoomContact, { description: 'The contacts of the book, oldest first.' }) });

// Batches (Zoom changelog; README Decision) ---------------------------------------------------

const ItemError = Type.Object({ code: Type.Integer(), message: Type.String() }, { description: 'Why this item failed.' });

export const BatchCreateBody = Type.Object(
  { contacts: Type.Array(Type.Unknown({ description: 'A create body.' }), { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false, examples: [{ contacts: [example] }] },
);
export const BatchPatchBody = Type.Object(
  { contacts: Type.Array(Type.Unknown({ description: 'A PATCH body with the `contact_id` to change.' }), { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false, examples: [{ contacts: [{ contact_id: '2f0c8a51-3f0e-4a8e-9d5b-6c1e2a7b9d10', location: 'New York' }] }] },
);
export const BatchDeleteBody = Type.Object(
  { contact_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false, examples: [{ contact_ids: ['2f0c8a51-3f0e-4a8e-9d5b-6c1e2a7b9d10'] }] },
);
export const BatchAnswer = Type.Object(
  { contacts: Type.Array(Type.Union([ZoomContact, ItemError]), { description: 'One entry per item, in order: the contact, or `{code, message}`.' }) },
  { examples: [{ contacts: [{ code: 2104, message: 'display_name is required and must not be empty' }] }] },
);
