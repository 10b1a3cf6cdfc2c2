import { Type } from 'typebox';

/**
 * The wire shapes of Kore.ai AgentAssist Contacts (koreai-agentassist-create-contact.txt and the
 * Kore.ai contact-center API pages; field names as Kore spells them). Inline schemas: they appear
 * in /openapi.json under the "Kore.ai AgentAssist" tag.
 */

export const tags = ['Kore.ai AgentAssist'];
export const security: Record<string, string[]>[] = [{ koreJwt: [] }, { bearer: [] }];

/** Kore's default page (its sample answers `"limit": 10`) and the largest page contactd serves. */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
/** Ids per bulk request: one request stays a few seconds of work at most. */
export const MAX_BULK = 1000;
/** Contacts per array create: all are written in one transaction, so it stays short. */
export const MAX_CREATE_ARRAY = 100;

/** Stream ids as Kore shows them (`st-7dc994f0-...`); contactd takes any such token. */
export const STREAM_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

const streamId = Type.String({ pattern: STREAM_ID_PATTERN, description: 'BotId or StreamId: 1 to 100 letters, digits, `.`, `_` or `-`, starting with a letter or digit. Each stream is its own set of contacts.', examples: ['st-7dc994f0-4436-5134-9fa8-a942625a1b2c'] });
const id = Type.String({ maxLength: 100, description: 'Unique identifier of the contact record.', examples: ['0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] });

export const StreamParams = Type.Object({ streamId });
export const ContactParams = Type.Object({ streamId, id });

const text = (description: string, example: string) => Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description, examples: [example] });

export const phoneNumber = Type.String({ pattern: '^[0-9]{4,15}$', description: 'The phone number in numeric digits without any special characters or alphabets (without the country code).', examples: ['9876543210'] });
export const countryCode = Type.String({ pattern: '^\\+?[1-9][0-9]{0,3}$', description: 'The country calling code, with or without `+`.', examples: ['+91'] });
export const extension = Type.String({ minLength: 1, maxLength: 20, description: 'The extension (Kore: "dialing prefix") of the contact, kept as given.', examples: ['+'] });

export const CellPhoneInput = Type.Object(
  { phoneNumber, countryCode, extension },
  { additionalProperties: false, description: 'The contact\'s cell phone; all three fields are required.' },
);

const firstName = text('The first name of the contact.', 'John');
const lastName = text('The last name of the contact.', 'Doe');
const salutation = text('The salutation (Mr. or Mrs.) of the contact.', 'Mr');

/** Kore's samples send `fullName` back; it is ignored, since it follows the first and last name. */
const fullName = Type.Optional(Type.String({ maxLength: 201, description: 'Ignored: the full name follows the first and last name.' }));

const createExample = { firstName: 'John', lastName: 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } };

export const CreateBody = Type.Object(
  { firstName, lastName, salutation, cellPhone: CellPhoneInput, fullName },
  { additionalProperties: false, examples: [createExample] },
);

/** Kore's docs repository sends the create as a bare array of contacts (create-a-contact-by-giving-details.md). */
export const CreateArrayBody = Type.Array(CreateBody, {
  minItems: 1,
  maxItems: MAX_CREATE_ARRAY,
  description: `Up to ${MAX_CREATE_ARRAY} contacts, created together or not at all.`,
  examples: [[createExample]],
});

/** The fields a PUT may change: any of the create fields; a cellPhone given is complete. */
const updateFields = {
  fullName,
  firstName: Type.Optional(firstName),
  lastName: Type.Optional(lastName),
  salutation: Type.Optional(salutation),
  cellPhone: Type.Optional(CellPhoneInput),
};

export const UpdateBody = Type.Object(updateFields, {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ firstName: 'john', lastName: 'doe', salutation: 'mr', cellPhone: { phoneNumber: '9550112345', countryCode: '+91', extension: '+' } }],
});

const BulkUpdateItems = Type.Array(Type.Object({ id, ...updateFields }, { additionalProperties: false, minProperties: 2 }), {
  minItems: 1,
  maxItems: MAX_BULK,
  description: `Up to ${MAX_BULK} changes, each naming the contact by \`id\` (README Decision).`,
  examples: [[{ id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', lastName: 'Smith' }]],
});

export const BulkUpdateBody = Type.Object(
  { contacts: BulkUpdateItems },
  { additionalProperties: false, examples: [{ contacts: [{ id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', lastName: 'Smith' }] }] },
);
/** The same changes as a bare array, the way Kore's docs send a create's contacts. */
export const BulkUpdateArrayBody = BulkUpdateItems;

export const BulkDeleteBody = Type.Object(
  { ids: Type.Array(id, { minItems: 1, maxItems: MAX_BULK, description: `Contact IDs to be deleted (at most ${MAX_BULK}).` }) },
  { additionalProperties: false, examples: [{ ids: ['0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] }] },
);

export const ListQuery = Type.Object(
  {
    skip: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Number of records to skip before starting to return results.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Maximum number of records returned (1 to ${MAX_LIMIT}).` })),
  },
  { additionalProperties: true },
);

export const KoreContact = Type.Object(
  {
    status: Type.Enum(['ACTIVE', 'INACTIVE'], { description: 'Current status of the contact: INACTIVE once deleted.' }),
    firstName: Type.String({ description: 'Contact\'s first name.' }),
    lastName: Type.String({ description: 'Contact\'s last name.' }),
    salutation: Type.String({ description: 'Salutation or title of the contact.' }),
    cellPhone: Type.Object({
      phoneNumber: Type.String({ description: 'The number as `+<country code><number>`.', examples: ['+919876543210'] }),
      countryCode: Type.String({ description: 'Country calling code of the number, as `+<digits>`.', examples: ['+91'] }),
      extension: Type.String({ description: 'The extension as given.', examples: ['+'] }),
    }, { description: 'Mobile details of the contact (empty strings for a contact without a phone, made through another API).' }),
    instanceBotId: Type.String({ description: 'Unique identifier of the associated bot instance: the stream id.', examples: ['st-7dc994f0-4436-5134-9fa8-a942625a1b2c'] }),
    accountId: Type.String({ description: 'Unique identifier of the account.' }),
    fullName: Type.String({ description: 'Contact\'s full name.', examples: ['John Doe'] }),
    address: Type.Array(Type.Object({}), { description: 'Always empty: contactd keeps no postal addresses.' }),
    twitterDetails: Type.Array(Type.Object({}), { description: 'Always empty.' }),
    createdAt: Type.String({ description: 'When the contact was created (ISO 8601).', examples: ['2023-01-18T10:21:05.318Z'] }),
    updatedAt: Type.String({ description: 'When the contact was last updated (ISO 8601).', examples: ['2023-01-18T10:21:05.318Z'] }),
    id,
  },
  { examples: [{ status: 'ACTIVE', firstName: 'John', lastName: 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: '+919876543210', countryCode: '+91', extension: '+' }, instanceBotId: 'st-7dc994f0-4436-5134-9fa8-a942625a1b2c', accountId: '635ba2bb-ec8c-4d28-8846-c7a1b2c3d4e5', fullName: 'John Doe', address: [], twitterDetails: [], createdAt: '2023-01-18T10:21:05.318Z', updatedAt: '2023-01-18T10:21:05.318Z', id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11' }] },
);

export const ListAnswer = Type.Object({
  results: Type.Array(KoreContact),
  skip: Type.Integer({ description: 'Records skipped.' }),
  limit: Type.Integer({ description: 'Largest page asked for.' }),
  hasMore: Type.Boolean({ description: 'Whether more records follow this page.' }),
  totalPages: Type.Integer({ description: 'Pages of `limit` records in all.' }),
  totalResults: Type.Integer({ description: 'Records across all pages.' }),
});

const KoreErrorItem = Type.Object({
  msg: Type.String({ description: 'What went wrong.' }),
  code: Type.String({ description: 'BadRequest, Unauthorized, Forbidden, NotFound, DuplicateNumber, Conflict, PayloadTooLarge, UnsupportedMediaType or InternalServerError.' }),
  field: Type.Optional(Type.String({ description: 'The field at fault, when one is.' })),
});

export const KoreError = Type.Object(
  { errors: Type.Array(KoreErrorItem, { minItems: 1 }) },
  { examples: [{ errors: [{ msg: 'cellPhone.phoneNumber: must match pattern "^[0-9]{4,15}$"', code: 'BadRequest', field: 'cellPhone.phoneNumber' }] }] },
);

export const BulkAnswer = Type.Object({
  totalRequested: Type.Integer({ description: 'Total number of records requested.' }),
  successful: Type.Integer({ description: 'Records processed.' }),
  failed: Type.Integer({ description: 'Records that failed.' }),
  successfulRecords: Type.Array(Type.Object({ id }), { description: 'The ids processed.' }),
  failedRecords: Type.Array(Type.Object({ id, msg: Type.String(), code: Type.String() }), { description: 'The ids that failed, each with why; empty when none failed.' }),
});

/** One row's failure in an import answer; rows count from 1 after the header line. */
export const ImportFailure = Type.Object({ row: Type.Integer({ description: 'The data row, 1 being the line after the header.' }), errors: KoreError.properties.errors });
export const ImportAnswer = Type.Array(Type.Union([KoreContact, ImportFailure]), { description: 'One entry per data row, in order: the created contact, or the row\'s errors.' });

/** The error answers a route documents, by HTTP status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, { ...KoreError, description: ERROR_MEANING[s] ?? 'Error.' }]));
}

const ERROR_MEANING: Record<number, string> = {
  400: 'A field is missing or invalid (BadRequest).',
  401: 'No, bad, expired or revoked credential, or an accountId that is not the key\'s (Unauthorized).',
  403: 'The key lacks the scope (Forbidden).',
  404: 'No such contact in this stream, or it was deleted (NotFound).',
  409: 'Another contact of the stream holds this number (DuplicateNumber).',
  413: 'The body or file is too large (PayloadTooLarge).',
  415: 'Wrong content type (UnsupportedMediaType).',
};
