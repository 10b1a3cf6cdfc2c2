import { Type } from 'typebox';
import { EXPORT_FORMATS, VCARD_VERSIONS } from '../../core/exports/export.types.ts';
import { CONTACT_STATUSES, CONTACT_TYPES } from '../../core/types.ts';
import { Id, Nullable, PageOf, PageQuery, Timestamp } from './common.ts';

const text = (description: string, maxLength = 200) => Type.String({ maxLength, description });

export const ContactType = Type.Enum([...CONTACT_TYPES], {
  $id: 'ContactType',
  description: '`custom` for customers; `user` (an agent) and `queue` are directory entries only admin keys may write.',
});

export const PhoneNumberInput = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 64, description: 'In any common format; national numbers are read in the server\'s DEFAULT_REGION.', examples: ['+1 (651) 111-2222'] }),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'mobile, work, home, main, fax, other, ... (default `other`).', examples: ['mobile'] })),
    label: Type.Optional(Nullable(text('A free label.', 100))),
    extension: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'Digits dialled after connecting.' }))),
    is_primary: Type.Optional(Type.Boolean({ description: 'At most one per contact; the first number is primary when none is marked.' })),
  },
  { $id: 'PhoneNumberInput', additionalProperties: false },
);

export const PhoneNumber = Type.Object(
  {
    number: Type.String({ description: 'As given.' }),
    e164: Type.String({ description: 'The number in E.164.', examples: ['+16511112222'] }),
    type: Type.String(),
    label: Nullable(Type.String()),
    extension: Nullable(Type.String()),
    is_primary: Type.Boolean(),
  },
  { $id: 'PhoneNumber' },
);

export const EmailInput = Type.Object(
  {
    address: Type.String({ minLength: 3, maxLength: 320, description: 'An email address.', examples: ['jane@example.com'] }),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'work, home, other, ... (default `other`).' })),
    is_primary: Type.Optional(Type.Boolean({ description: 'At most one per contact; the first is primary when none is marked.' })),
  },
  { $id: 'EmailInput', additionalProperties: false },
);

export const Email = Type.Object({ address: Type.String(), type: Type.String(), is_primary: Type.Boolean() }, { $id: 'Email' });

export const Messaging = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 40, description: 'whatsapp, wechat, facebook, line, kakaotalk, zalo, ...', examples: ['whatsapp'] }),
    handle: Type.String({ minLength: 1, maxLength: 256, description: 'The id on that channel.' }),
  },
  { $id: 'Messaging', additionalProperties: false },
);

export const CustomFieldValue = Type.Unsafe<string | number | boolean>({ $id: 'CustomFieldValue', type: ['string', 'number', 'boolean'], description: 'Checked against the field\'s data_type.' });

const contactFields = {
  display_name: text('Shown on screen pops; defaults to first and last name.'),
  first_name: text('Given name.', 100),
  last_name: text('Family name.', 100),
  salutation: text('Mr, Ms, Dr, ...', 40),
  company: text('Organization.'),
  role: text('Job title or role.', 100),
  location: text('Free-form location.'),
  timezone: Type.String({ maxLength: 64, description: 'IANA time zone name.', examples: ['America/Chicago'] }),
  account_number: text('The customer\'s account number in your systems.', 100),
  external_id: text('Your id for this contact; unique per account.', 200),
  country: Type.String({ maxLength: 2, description: 'ISO 3166 alpha-2 country.', examples: ['US'] }),
  user_name: text('User name of a `user` entry.', 100),
  employee_id: text('Employee id of a `user` entry.', 100),
};

const writableLists = {
  type: Type.Ref('ContactType'),
  phone_numbers: Type.Array(Type.Ref('PhoneNumberInput'), { maxItems: 50 }),
  emails: Type.Array(Type.Ref('EmailInput'), { maxItems: 50 }),
  messaging: Type.Array(Type.Ref('Messaging'), { maxItems: 50 }),
  custom_fields: Type.Record(Type.String(), Type.Ref('CustomFieldValue'), { description: 'Values by custom field key.' }),
  group_ids: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'Groups the contact belongs to.' }),
};

const optionalNullable = <T extends Record<string, any>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(Nullable(v))])) as { [K in keyof T]: any };

export const ContactCreate = Type.Object(
  {
    address_book_id: Type.Optional(Type.String({ maxLength: 64, description: 'Defaults to the account\'s default address book.' })),
    ...optionalNullable(contactFields),
    ...Object.fromEntries(Object.entries(writableLists).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { $id: 'ContactCreate', additionalProperties: false, examples: [{ first_name: 'Jane', last_name: 'Doe', phone_numbers: [{ number: '+1 651 111 2222', type: 'mobile' }], emails: [{ address: 'jane@example.com', type: 'work' }] }] },
);

export const ContactPatch = Type.Object(
  {
    address_book_id: Type.Optional(Type.String({ maxLength: 64 })),
    ...optionalNullable(contactFields),
    ...optionalNullable({ ...writableLists, custom_fields: Type.Record(Type.String(), Nullable(Type.Ref('CustomFieldValue'))) }),
  },
  { $id: 'ContactPatch', additionalProperties: false, description: 'A JSON merge patch: absent keeps, null clears, arrays replace whole.' },
);

export const Contact = Type.Object(
  {
    id: Id,
    account_id: Type.String(),
    address_book_id: Type.String(),
    type: Type.Ref('ContactType'),
    status: Type.Enum([...CONTACT_STATUSES, 'deleted'], { description: '`merged` records stay readable; lists and lookups skip them. `deleted`: a tombstone, listed only with `status=deleted`.' }),
    merged_into: Nullable(Type.String({ description: 'The surviving contact of a merge.' })),
    ...Object.fromEntries(Object.entries(contactFields).map(([k, v]) => [k, Nullable(v)])),
    phone_numbers: Type.Array(Type.Ref('PhoneNumber')),
    emails: Type.Array(Type.Ref('Email')),
    messaging: Type.Array(Type.Ref('Messaging')),
    custom_fields: Type.Record(Type.String(), Type.Ref('CustomFieldValue')),
    group_ids: Type.Array(Type.String()),
    version: Type.Integer({ description: 'Grows by one on every change; send it as If-Match.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Type.Optional(Timestamp),
  },
  { $id: 'Contact' },
);

export const ContactPage = PageOf(Type.Ref('Contact'), 'ContactPage');

export const ContactListQuery = Type.Object({
  address_book_id: Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(Type.Ref('ContactType')),
  status: Type.Optional(Type.Enum([...CONTACT_STATUSES, 'deleted'], { description: 'Default `active`. Phone, email and `q` filters find live contacts only. `deleted` lists the tombstones still restorable (only `limit` and `cursor` apply then).' })),
  phone: Type.Optional(Type.String({ maxLength: 64, description: 'Any format; matched on E.164.' })),
  email: Type.Optional(Type.String({ maxLength: 320, description: 'Case-insensitive.' })),
  external_id: Type.Optional(Type.String({ maxLength: 200 })),
  group_id: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Search: the start of a word of the name or company, of an email or of the phone digits; several words (`jane doe`) must each begin a word of the contact.' })),
  updated_since: Type.Optional(Type.String({ format: 'date-time', description: 'Only contacts changed at or after this time.' })),
  ...PageQuery,
});

export const ContactExportQuery = Type.Object({
  format: Type.Enum([...EXPORT_FORMATS], { description: '`csv` (the native layout, which the import reads back), `vcard` or `ndjson` (the create shape, groups by name).' }),
  version: Type.Optional(Type.Enum([...VCARD_VERSIONS], { default: '3.0', description: 'vCard version (format `vcard` only).' })),
  address_book_id: ContactListQuery.properties.address_book_id,
  type: ContactListQuery.properties.type,
  group_id: ContactListQuery.properties.group_id,
  q: ContactListQuery.properties.q,
  updated_since: ContactListQuery.properties.updated_since,
});

export const LookupQuery = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 64, description: 'Any format.', examples: ['651-111-2222'] })),
  email: Type.Optional(Type.String({ maxLength: 320 })),
});

export const LookupResult = Type.Object(
  { matches: Type.Array(Type.Ref('Contact'), { description: 'Most recently updated first.' }) },
  { $id: 'LookupResult' },
);

export const MergeRequest = Type.Object(
  {
    source_ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100, description: 'Contacts folded into this one.' }),
    fields_from_source: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 100,
      description: 'Fields whose value this contact takes from the sources instead of keeping its own: a text field (`company`, `account_number`, …; not `external_id`) or `custom_fields.<key>`. Each comes from the first source, in `source_ids` order, that holds a value; when none does, the field is emptied. Part of the merge: an unmerge gives this contact its own value back.',
    })),
  },
  { $id: 'MergeRequest', additionalProperties: false },
);

export const UnmergeRequest = Type.Object(
  { source_id: Type.String({ minLength: 1, maxLength: 64, description: 'The contact merged into this one (`status: merged`, `merged_into` this id) to restore.' }) },
  { $id: 'UnmergeRequest', additionalProperties: false },
);

export const NotRestored = Type.Object(
  {
    field: Type.String({ description: 'The survivor\'s field: `phone_numbers`, `company`, `custom_fields.<key>`, `external_id`, ...', examples: ['company'] }),
    value: Type.Unknown({ description: 'The value the survivor keeps: a phone, email or handle entry, a group id, a custom value or a text.' }),
    reason: Type.Enum(['edited_since_merge', 'merge_not_in_journal'], {
      description: '`edited_since_merge`: changed on the survivor after the merge, so it stays there; `merge_not_in_journal`: the merge predates the change journal, so the survivor keeps what it shares with the source.',
    }),
  },
  { $id: 'NotRestored', description: 'A value that came from the source but stays on the survivor.' },
);

export const UnmergeResult = Type.Object(
  {
    survivor: Type.Ref('Contact'),
    restored: Type.Ref('Contact'),
    not_restored: Type.Array(Type.Ref('NotRestored'), { description: 'Values the survivor keeps although they came from the source; empty when the merge is fully undone.' }),
  },
  { $id: 'UnmergeResult', description: '`survivor`: the surviving contact without the values that came only from the source; `restored`: the source, active again with what it held before the merge.' },
);

export const BatchRequest = Type.Object(
  { contacts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000, description: 'Up to 1000 ContactCreate bodies; each is checked on its own.' }) },
  { $id: 'BatchRequest', additionalProperties: false },
);

export const BatchResult = Type.Object(
  {
    results: Type.Array(
      Type.Object({
        index: Type.Integer(),
        status: Type.Integer({ description: 'The HTTP status this item alone would have had.' }),
        contact: Type.Optional(Type.Ref('Contact')),
        error: Type.Optional(Type.Ref('Problem')),
      }),
    ),
  },
  { $id: 'BatchResult' },
);

export const ExternalIdParams = Type.Object({ external_id: Type.String({ minLength: 1, maxLength: 200 }) });

