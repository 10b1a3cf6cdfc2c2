import type { Static } from 'typebox';
import { invalidField } from '../../core/errors.ts';
import type { ContactMatchQuery } from '../../core/contacts/contact.service.ts';
import type { TextEqualsClause } from '../../core/ports.ts';
import { CONTACT_TYPES, type Contact, type ContactInput, type ContactTextField, type ContactType } from '../../core/types.ts';
import type { CreateBody, GwsContact, ListQuery, UpdateBody } from './schemas.ts';

/** The two translations of the GWS dialect: wire -> core input and query, core contact -> wire. */

const WIRE_TYPE: Record<ContactType, GwsContact['type']> = { custom: 'Custom', user: 'User', queue: 'Queue' };

type GwsContact = Static<typeof GwsContact>;

/** GWS spells types Custom/User/Queue and matches them in any case (`?type=custom`). */
export function coreTypeOf(wire: string): ContactType {
  const type = wire.trim().toLowerCase();
  if (!(CONTACT_TYPES as readonly string[]).includes(type)) throw invalidField('type', 'must be Custom, User or Queue');
  return type as ContactType;
}

export function toGwsContact(contact: Contact): GwsContact {
  const phone = contact.phone_numbers.find((p) => p.is_primary) ?? contact.phone_numbers[0];
  const email = contact.emails.find((e) => e.is_primary) ?? contact.emails[0];
  // GWS: "name ... could be the name of a queue or the first name/last name of a user".
  const name = contact.display_name;
  const wire: GwsContact = { id: contact.id, type: WIRE_TYPE[contact.type], phoneNumbers: [], path: `/contacts/${contact.id}` };
  if (name !== null) wire.name = name;
  if (phone) wire.phoneNumber = phone.number;
  wire.phoneNumbers = contact.phone_numbers.map((p) => ({ phoneNumber: p.number, description: p.label ?? p.type }));
  if (email) wire.emailAddress = email.address;
  // "The presence or absence of each attribute is determined by resource type": these are User's.
  if (contact.type === 'user') {
    for (const [key, field] of USER_ATTRIBUTES) {
      const value = contact[field];
      if (value !== null) wire[key] = value;
    }
  }
  return wire;
}

const USER_ATTRIBUTES = [
  ['userName', 'user_name'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['employeeId', 'employee_id'],
] as const satisfies readonly (readonly [keyof GwsContact, ContactTextField])[];

export function createInputOf(body: Static<typeof CreateBody>): ContactInput {
  return {
    display_name: nameOf(body.name),
    type: body.type === undefined ? 'custom' : coreTypeOf(body.type),
    phone_numbers: body.phoneNumber === undefined ? [] : [{ number: body.phoneNumber }],
  };
}

/** A GWS PUT changes the attributes it names; `phoneNumber` becomes the contact's one number. */
export function patchInputOf(body: Static<typeof UpdateBody>): ContactInput {
  const patch: ContactInput = {};
  if (body.name !== undefined) patch.display_name = nameOf(body.name);
  if (body.type !== undefined) patch.type = coreTypeOf(body.type);
  if (body.phoneNumber !== undefined) patch.phone_numbers = [{ number: body.phoneNumber }];
  return patch;
}

function nameOf(name: string): string {
  if (name.trim() === '') throw invalidField('display_name', 'must not be blank');
  return name.trim();
}

/** Fields a GWS name may be, for `name=` and for NamesOrPhoneNumberMatches. */
const NAME_FIELDS: ContactTextField[] = ['display_name', 'first_name', 'last_name', 'user_name'];

/**
 * The list's query as core filters. Every attribute given narrows the list (AND); `name` and
 * `phoneNumber` are comma-separated lists (any of them); an empty parameter narrows nothing.
 */
export function matchQueryOf(query: Static<typeof ListQuery>): ContactMatchQuery {
  const textEquals: TextEqualsClause[] = [];
  const names = listOf(query.name);
  if (names.length > 0) textEquals.push({ fields: ['display_name', 'user_name'], values: names });
  for (const [key, field] of USER_ATTRIBUTES) {
    const value = query[key]?.trim();
    if (value) textEquals.push({ fields: [field], values: [value] });
  }
  const match: ContactMatchQuery = { textEquals };
  if (query.id?.trim()) match.ids = [query.id.trim()];
  if (query.type?.trim()) match.type = coreTypeOf(query.type);
  // Only Users have user attributes: filtering on one keeps Users alone.
  if (USER_ATTRIBUTES.some(([key]) => query[key]?.trim())) {
    if (match.type !== undefined && match.type !== 'user') match.ids = [];
    match.type = 'user';
  }
  if (query.emailAddress?.trim()) match.email = query.emailAddress.trim();
  const phones = listOf(query.phoneNumber);
  if (phones.length > 0) match.phonesAnyOf = phones;
  if (query.filterName === 'NamesOrPhoneNumberMatches') {
    match.wildcards = listOf(query.filterParameters).map((pattern) => ({ fields: NAME_FIELDS, pattern, phones: true }));
  }
  return match;
}

function listOf(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Core field paths in errors, as GWS names them. */
export function wireFieldOf(path: string): string {
  if (path.startsWith('phone_numbers')) return 'phoneNumber';
  return { display_name: 'name', user_name: 'userName', first_name: 'firstName', last_name: 'lastName', employee_id: 'employeeId', email: 'emailAddress' }[path] ?? path;
}
