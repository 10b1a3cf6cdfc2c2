import { Type, type TSchema } from 'typebox';

/**
 * Wire shapes of 8x8 Connect Contacts (../../../../shared/specs/8x8-connect-contacts-openapi.json),
 * with the file's field names, limits and patterns. Inline schemas: they appear in /openapi.json
 * under the "8x8 Connect" tag.
 */

/** The largest page index whose first row is still an exact integer at the largest page. */
const MAX_PAGE_INDEX = Math.floor(Number.MAX_SAFE_INTEGER / 500);

export const tags = ['8x8 Connect'];
export const security: Record<string, string[]>[] = [{ bearer: [] }];

/** The file's accountId: 32 to 36 characters, a GUID with or without dashes. */
export const ACCOUNT_ID_PATTERN = '^[0-9A-Fa-f]{8}[-]?(?:[0-9A-Fa-f]{4}[-]?){3}[0-9A-Fa-f]{12}$';
export const MSISDN_PATTERN = '^\\+{0,1}[1-9]{1}[0-9]{6,14}$';

const accountId = Type.String({ minLength: 32, maxLength: 36, pattern: ACCOUNT_ID_PATTERN, description: 'The account id (contactd account ids are UUIDs); must be the API key\'s own account.' });
export const AccountParams = Type.Object({ accountId });
export const ContactParams = Type.Object({ accountId, contactId: Type.String({ description: 'Contact id (an integer).' }) });
export const GroupParams = Type.Object({ accountId, groupId: Type.String({ description: 'Group id (an integer).' }) });
export const MsisdnParams = Type.Object({ accountId, msisdn: Type.String({ description: 'The number to block, as `^\\+{0,1}[1-9]{1}[0-9]{6,14}$`.', examples: ['6512345678'] }) });
export const BatchParams = Type.Object({ accountId, batchId: Type.String({ description: 'Batch id (a UUID).' }) });

const handle = (description: string) => Type.Optional(Type.String({ maxLength: 128, description }));

export const Addresses = Type.Object(
  {
    msisdn: Type.Optional(Type.String({ minLength: 1, pattern: MSISDN_PATTERN, description: 'Phone number, international (digits with or without +) or national when `country` is given; answered without the plus.', examples: ['16511112222'] })),
    weChatUserId: handle('WeChat user id.'),
    facebookUserId: handle('Facebook user id.'),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320, description: 'Email address.' })),
    zaloId: handle('Zalo id.'),
    lineId: handle('LINE id.'),
    kakaoTalkId: handle('KakaoTalk id.'),
  },
  { additionalProperties: false, description: 'All addresses are optional, but at least one address should be provided.' },
);

const text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });
const customAttributes = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 4000 }), Type.Number(), Type.Boolean()]), {
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 64 },
  description: 'Free-form attributes (at most 50); each key becomes a string custom field of the account on first use.',
});

export const CreateContactBody = Type.Object(
  {
    firstName: Type.Optional(text(200, 'First name.')),
    lastName: Type.Optional(text(200, 'Last name.')),
    externalId: Type.Optional(text(50, 'Your own id of the contact; unique in the account.')),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'Alpha-2 country code; national msisdns are read in it.', examples: ['US'] })),
    groups: Type.Optional(Type.Array(Type.Object({ id: Type.Integer({ description: 'Group identifier.' }) }), { minItems: 1, maxItems: 10, uniqueItems: true })),
    addresses: Addresses,
    customAttributes: Type.Optional(customAttributes),
    // Only answers carry these: a client sending back what it read is not refused; they are ignored.
    id: Type.Optional(Type.Unknown({ description: 'Read-only: ignored.' })),
    createdAt: Type.Optional(Type.Unknown({ description: 'Read-only: ignored.' })),
  },
  { additionalProperties: false, examples: [{ firstName: 'John', lastName: 'Black', country: 'US', addresses: { msisdn: '16511112222', email: 'john.black@example.com' } }] },
);

export const Group = Type.Object({
  id: Type.Number({ description: 'Group id.' }),
  contacts: Type.Number({ description: 'How many contacts the group holds.' }),
  createdAt: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  isBlacklist: Type.Boolean({ description: 'A block list.' }),
});

export const Contact = Type.Object({
  id: Type.Number({ description: 'Contact id.' }),
  createdAt: Type.String(),
  firstName: Type.Optional(Type.String({ minLength: 1 })),
  lastName: Type.Optional(Type.String({ minLength: 1 })),
  externalId: Type.Optional(Type.String({ minLength: 1 })),
  country: Type.Optional(Type.String({ minLength: 1 })),
  groups: Type.Optional(Type.Array(Group, { minItems: 1, description: 'Present when the contact is in a group.' })),
  addresses: Type.Object({
    msisdn: Type.Optional(Type.String()),
    weChatUserId: Type.Optional(Type.String()),
    facebookUserId: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    zaloId: Type.Optional(Type.String()),
    lineId: Type.Optional(Type.String()),
    kakaoTalkId: Type.Optional(Type.String()),
  }),
  customAttributes: Type.Record(Type.String(), Type.Unknown()),
});

const listOf = (item: TSchema) =>
  Type.Object({
    items: Type.Array(item),
    page: Type.Number({ description: 'This page\'s number, from 1.' }),
    totalPages: Type.Number(),
    totalCount: Type.Number({ description: 'Every item of the account.' }),
    totalFiltered: Type.Number({ description: 'Items matching the filters.' }),
    hasPreviousPage: Type.Boolean(),
    hasNextPage: Type.Boolean(),
  });
export const ContactList = listOf(Contact);
export const GroupList = listOf(Group);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20, description: 'Items per page.' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PAGE_INDEX, default: 0, description: 'Page offset (Decision: the page index from 0; offset 1 with limit 10 is items 11 to 20).' })),
};
export const ContactQuery = Type.Object({
  ...PageQuery,
  query: Type.Optional(Type.String({ maxLength: 320, description: 'Name words, email or phone digits, matched as a prefix.' })),
  groupId: Type.Optional(Type.Integer({ minimum: 0, description: 'Only contacts of this group.' })),
  country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'Alpha-2 country code.' })),
});
export const GroupQuery = Type.Object({ ...PageQuery, name: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the group name, ignoring case.' })) });

export const PatchOperation = Type.Object(
  {
    op: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('replace'), Type.Literal('copy'), Type.Literal('move'), Type.Literal('test')]),
    path: Type.String({ maxLength: 200, description: 'A JSON Pointer, e.g. /firstName or /addresses/email.' }),
    from: Type.Optional(Type.String({ maxLength: 200 })),
    value: Type.Optional(Type.Unknown({ description: 'The new value.' })),
  },
  { additionalProperties: false },
);
export const PatchBody = Type.Array(PatchOperation, { minItems: 1, maxItems: 100, description: 'A JSON Patch (RFC 6902).', examples: [[{ op: 'replace', path: '/firstName', value: 'John' }]] });

export const CreateGroupBody = Type.Object(
  {
    name: text(100, 'The name of the group; unique in the account.'),
    description: Type.Optional(text(100, 'Group description.')),
    isBlacklist: Type.Optional(Type.Boolean({ default: false, description: 'Is this group a block list.' })),
  },
  { additionalProperties: false, examples: [{ name: 'group_name', description: 'The main group', isBlacklist: false }] },
);

export const ContactIdList = Type.Object(
  { contacts: Type.Array(Type.Integer(), { maxItems: 1000, description: 'Contact ids.' }) },
  { additionalProperties: false, examples: [{ contacts: [41702118, 41702119] }] },
);
