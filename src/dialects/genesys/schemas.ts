import { Type } from 'typebox';

/**
 * The wire shapes of GWS 8.5 Contacts (genesys-gws-contacts-api.txt; field names as GWS spells
 * them). Inline schemas: they appear in /openapi.json under the "Genesys GWS" tag.
 */

export const tags = ['Genesys GWS'];
export const security: Record<string, string[]>[] = [{ basic: [] }, { bearer: [] }];

/** GWS contact types; requests may spell them in any case (`?type=custom`). */
export const GWS_TYPES = ['Custom', 'User', 'Queue'] as const;

/** Default and largest page: GWS lists are whole, contactd returns at most this many at once. */
export const MAX_LIST = 1000;

const id = Type.String({ description: 'The unique id of the contact record.', examples: ['0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] });

export const GwsPhone = Type.Object(
  {
    phoneNumber: Type.String({ description: 'A number of the contact, as it was given.', examples: ['651-111-2222'] }),
    description: Type.String({ description: 'Its label, else its kind (mobile, work, ...).' }),
  },
  { description: 'One of the contact\'s phone numbers (GWS shows them for users; contactd shows them for every type).' },
);

export const GwsContact = Type.Object(
  {
    id,
    name: Type.Optional(Type.String({ description: 'The name of the contact: a Custom contact\'s or a Queue\'s name, a User\'s first and last name.', examples: ['Some Contact'] })),
    type: Type.Enum([...GWS_TYPES], { description: 'Custom, Queue or User.' }),
    phoneNumber: Type.Optional(Type.String({ description: 'The (primary) number at which this contact can be reached, as given.', examples: ['651-111-2222'] })),
    phoneNumbers: Type.Array(GwsPhone, { description: 'Every number of the contact.' }),
    emailAddress: Type.Optional(Type.String({ description: 'The contact\'s (primary) email address.' })),
    userName: Type.Optional(Type.String({ description: 'The user name (User contacts only).' })),
    firstName: Type.Optional(Type.String({ description: 'First name (User contacts only).' })),
    lastName: Type.Optional(Type.String({ description: 'Last name (User contacts only).' })),
    employeeId: Type.Optional(Type.String({ description: 'Employee id (User contacts only).' })),
    path: Type.String({ description: 'The contact\'s path under the API root.', examples: ['/contacts/0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] }),
  },
  { examples: [{ id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', name: 'Some Contact', type: 'Custom', phoneNumber: '651-111-2222', phoneNumbers: [{ phoneNumber: '651-111-2222', description: 'other' }], path: '/contacts/0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11' }] },
);

const attribute = (description: string, maxLength = 200) => Type.Optional(Type.String({ maxLength, description }));

export const ListQuery = Type.Object(
  {
    id: attribute('Only the contact with this id.', 64),
    name: attribute('Comma-separated names; exact match ignoring case against the name (Custom, Queue) or user name (User).', 2000),
    type: attribute('Custom, User or Queue, in any case.', 20),
    phoneNumber: attribute('Comma-separated phone numbers in any format (punctuation ignored); `*`: any contact with a number.', 2000),
    userName: attribute('Exact user name, ignoring case.'),
    firstName: attribute('Exact first name, ignoring case.'),
    lastName: attribute('Exact last name, ignoring case.'),
    employeeId: attribute('Exact employee id, ignoring case.'),
    emailAddress: attribute('Exact email address, ignoring case.', 320),
    filterName: Type.Optional(Type.Enum(['NamesOrPhoneNumberMatches'], { description: 'The custom filter; GWS documents NamesOrPhoneNumberMatches.' })),
    filterParameters: attribute('Comma-separated arguments of the filter: each must match (AND) the name, first name, last name, user name or phone digits (OR) of the contact, ignoring case; `*` is a wildcard.', 2000),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST, default: MAX_LIST, description: `Contacts in this answer (1 to ${MAX_LIST}).` })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Matching contacts to skip first; ask again with offset + limit while offset + limit < totalCount.' })),
  },
  { additionalProperties: true },
);

const name = Type.String({ minLength: 1, maxLength: 200, description: 'The name of the contact.', examples: ['Some Contact'] });
const phoneNumber = Type.String({ minLength: 1, maxLength: 64, description: 'A phone number in any common format (national numbers are read in the server\'s DEFAULT_REGION).', examples: ['651-111-2222'] });
const type = Type.String({ maxLength: 20, description: 'Custom (any case); User and Queue contacts cannot be written through GWS (403).', examples: ['Custom'] });

export const CreateBody = Type.Object(
  { name, type: Type.Optional(type), phoneNumber: Type.Optional(phoneNumber) },
  { additionalProperties: false, examples: [{ name: 'Some Contact', type: 'Custom', phoneNumber: '651-111-2222' }] },
);

export const UpdateBody = Type.Object(
  { name: Type.Optional(name), type: Type.Optional(type), phoneNumber: Type.Optional(Type.String({ ...phoneNumber, description: 'Becomes the contact\'s only number (a GWS custom contact has one).' })) },
  { additionalProperties: false, examples: [{ phoneNumber: '651-111-3333' }] },
);

export const IdParams = Type.Object({ id: Type.String({ description: 'The contact id.' }) });

const statusCode0 = Type.Literal(0, { description: 'GWS status code: 0 is success.' });

export const ListAnswer = Type.Object({
  statusCode: statusCode0,
  totalCount: Type.Integer({ description: 'How many contacts match in all; more than `contacts` holds when the list was cut at `limit`.' }),
  contacts: Type.Array(GwsContact),
});
export const ContactAnswer = Type.Object({ statusCode: statusCode0, contact: GwsContact });
export const CreateAnswer = Type.Object({
  statusCode: statusCode0,
  id,
  path: Type.String({ examples: ['/contacts/0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11'] }),
});
export const OkAnswer = Type.Object({ statusCode: statusCode0 });

export const GwsError = Type.Object(
  {
    statusCode: Type.Integer({ description: 'GWS status code: 1 missing parameter, 2 invalid parameter, 3 forbidden, 4 internal error, 5 no permission, 6 not found, 18 already exists, 20 not authenticated.' }),
    statusMessage: Type.String({ description: 'What went wrong.' }),
  },
  { examples: [{ statusCode: 6, statusMessage: 'Contact not found: no contact with id 42' }] },
);

/** The error answers a route documents, by HTTP status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, { ...GwsError, description: ERROR_MEANING[s] ?? 'Error.' }]));
}

const ERROR_MEANING: Record<number, string> = {
  400: 'Missing (statusCode 1) or invalid (2) parameter.',
  401: 'No, unknown or revoked credentials (statusCode 20).',
  403: 'The key lacks the scope (5), or the contact is a read-only User or Queue (3).',
  404: 'No such contact in this account (6).',
  409: 'The address book refuses a duplicate (18).',
};
