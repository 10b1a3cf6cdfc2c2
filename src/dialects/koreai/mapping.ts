import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Static } from 'typebox';
import type { Contact, ContactInput, PhoneInput } from '../../core/types.ts';
import type { CellPhoneInput, CreateBody, KoreContact, UpdateBody } from './schemas.ts';

/** The two translations of the Kore.ai dialect: wire -> core input, core contact -> wire. */

type Wire = Static<typeof KoreContact>;

/** The address book that holds a stream's contacts (README Decision: one book per stream). */
export function bookNameOf(streamId: string): string {
  return `agentassist:${streamId}`;
}

export function createInputOf(body: Static<typeof CreateBody>): ContactInput {
  return { ...namesOf(body), phone_numbers: [phoneOf(body.cellPhone)] };
}

/** A PUT changes the fields it names; a cellPhone replaces the contact's one number. */
export function patchInputOf(body: Static<typeof UpdateBody>): ContactInput {
  const patch: ContactInput = namesOf(body);
  if (body.cellPhone !== undefined) patch.phone_numbers = [phoneOf(body.cellPhone)];
  return patch;
}

function namesOf(body: Partial<Pick<Static<typeof CreateBody>, 'firstName' | 'lastName' | 'salutation'>>): ContactInput {
  const input: ContactInput = {};
  if (body.firstName !== undefined) input.first_name = body.firstName.trim();
  if (body.lastName !== undefined) input.last_name = body.lastName.trim();
  if (body.salutation !== undefined) input.salutation = body.salutation.trim();
  return input;
}

/** Kore sends the national digits and the calling code apart; the core keeps `+<code><digits>`. */
function phoneOf(cell: Static<typeof CellPhoneInput>): PhoneInput {
  return { number: `+${cell.countryCode.replace(/^\+/, '')}${cell.phoneNumber}`, type: 'mobile', extension: cell.extension };
}

/** A core contact as Kore shows it; `instanceBotId` is the stream (Kore's bot instance) it was read in. */
export function toKoreContact(contact: Contact, streamId: string): Wire {
  const phone = contact.phone_numbers.find((p) => p.is_primary) ?? contact.phone_numbers[0];
  // In the order of Kore's sample answer.
  return {
    status: contact.status === 'active' ? 'ACTIVE' : 'INACTIVE',
    firstName: contact.first_name ?? '',
    lastName: contact.last_name ?? '',
    salutation: contact.salutation ?? '',
    cellPhone: phone ? { phoneNumber: phone.e164, countryCode: callingCodeOf(phone.e164), extension: phone.extension ?? '' } : { phoneNumber: '', countryCode: '', extension: '' },
    instanceBotId: streamId,
    accountId: contact.account_id,
    fullName: contact.display_name ?? [contact.first_name, contact.last_name].filter(Boolean).join(' '),
    address: [],
    twitterDetails: [],
    createdAt: contact.created_at,
    updatedAt: contact.updated_at,
    id: contact.id,
  };
}

/** `+91` for `+919876543210`: the calling code the number itself carries. */
function callingCodeOf(e164: string): string {
  const code = parsePhoneNumberFromString(e164)?.countryCallingCode;
  return code ? `+${code}` : '';
}

/** Core field paths in errors, as Kore names them. */
export function wireFieldOf(path: string): string {
  if (path.startsWith('phone_numbers')) return 'cellPhone.phoneNumber';
  return { first_name: 'firstName', last_name: 'lastName', salutation: 'salutation', display_name: 'fullName' }[path] ?? path;
}
