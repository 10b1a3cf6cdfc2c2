import { Type } from 'typebox';
import { CUSTOM_FIELD_TYPES, DUPLICATE_POLICIES } from '../../core/types.ts';
import { Id, Nullable, PageOf, Timestamp } from './common.ts';

/** Address books, custom fields and groups. */

export const DuplicatePolicy = Type.Enum([...DUPLICATE_POLICIES], {
  $id: 'DuplicatePolicy',
  description: 'What a new contact sharing a phone or email with one of the book does: `allow` it, `reject` it (409) or `merge` into it.',
});

const bookName = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the account.', examples: ['VIP customers'] });
const description = Nullable(Type.String({ maxLength: 1000 }));

export const AddressBookCreate = Type.Object(
  { name: bookName, description: Type.Optional(description), duplicate_policy: Type.Optional(Type.Ref('DuplicatePolicy')) },
  { $id: 'AddressBookCreate', additionalProperties: false },
);

export const AddressBookPatch = Type.Object(
  { name: Type.Optional(bookName), description: Type.Optional(description), duplicate_policy: Type.Optional(Type.Ref('DuplicatePolicy')) },
  { $id: 'AddressBookPatch', additionalProperties: false },
);

export const AddressBook = Type.Object(
  {
    id: Id,
    account_id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    duplicate_policy: Type.Ref('DuplicatePolicy'),
    is_default: Type.Boolean({ description: 'The account\'s default book, used when a contact names none.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'AddressBook' },
);

export const AddressBookPage = PageOf(Type.Ref('AddressBook'), 'AddressBookPage');

export const DeleteBookQuery = Type.Object({ force: Type.Optional(Type.Boolean({ description: 'Also delete the contacts it holds.' })) });

export const CustomFieldType = Type.Enum([...CUSTOM_FIELD_TYPES], { $id: 'CustomFieldType' });

export const CustomFieldCreate = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'lower_snake_case; the key in a contact\'s `custom_fields`.', examples: ['loyalty_tier'] }),
    label: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    data_type: Type.Ref('CustomFieldType'),
    group: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Groups fields on screen.' }))),
    options: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500, description: 'The allowed values of a pick_list.' }))),
  },
  { $id: 'CustomFieldCreate', additionalProperties: false, examples: [{ key: 'loyalty_tier', data_type: 'pick_list', options: ['gold', 'silver'] }] },
);

export const CustomFieldPatch = Type.Object(
  {
    key: Type.Optional(Type.String({ maxLength: 64, description: 'Cannot change: only the current key is accepted (a different one is a 400 naming `key`).' })),
    data_type: Type.Optional(Type.Ref('CustomFieldType', { description: 'Cannot change: only the current type is accepted (a different one is a 400 naming `data_type`).' })),
    label: CustomFieldCreate.properties.label,
    group: CustomFieldCreate.properties.group,
    options: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500, description: 'A pick_list\'s allowed values, replaced whole; values already stored stay on their contacts.' }))),
  },
  { $id: 'CustomFieldPatch', additionalProperties: false, examples: [{ label: 'Loyalty tier', options: ['gold', 'silver', 'bronze'] }] },
);

export const CustomField = Type.Object(
  {
    id: Id,
    key: Type.String(),
    label: Nullable(Type.String()),
    data_type: Type.Ref('CustomFieldType'),
    group: Nullable(Type.String()),
    options: Nullable(Type.Array(Type.String())),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CustomField' },
);

export const CustomFieldList = Type.Object(
  { data: Type.Array(Type.Ref('CustomField')), next_cursor: Type.Null() },
  { $id: 'CustomFieldList', description: 'Every custom field of the account (one page).' },
);

const groupName = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the account.' });

export const GroupCreate = Type.Object(
  { name: groupName, description: Type.Optional(description), is_blocklist: Type.Optional(Type.Boolean({ description: 'Members are blocked callers.' })) },
  { $id: 'GroupCreate', additionalProperties: false },
);

export const GroupPatch = Type.Object(
  { name: Type.Optional(groupName), description: Type.Optional(description), is_blocklist: Type.Optional(Type.Boolean()) },
  { $id: 'GroupPatch', additionalProperties: false },
);

export const Group = Type.Object(
  { id: Id, name: Type.String(), description: Nullable(Type.String()), is_blocklist: Type.Boolean(), created_at: Timestamp, updated_at: Timestamp },
  { $id: 'Group' },
);

export const GroupPage = PageOf(Type.Ref('Group'), 'GroupPage');

export const MemberParams = Type.Object({ id: Type.String(), contactId: Type.String() });
