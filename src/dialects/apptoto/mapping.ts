import type { BookRef, ContactKey, UpsertRequest } from '../../core/contacts/contact-upsert.ts';
import { FieldErrors, validationError } from '../../core/errors.ts';
import type { AddressBook, Contact, EmailInput, PhoneInput } from '../../core/types.ts';
import { wireFieldOf } from './errors.ts';
import { BOOK_TYPE, EMAIL_TYPES, PHONE_TYPES, type ApptotoContact, type CreateItem, type PutItem } from './schemas.ts';

/** The two translations of the Apptoto dialect: wire item -> core upsert request, core contact -> wire. */

export interface MappedItem {
  request: UpsertRequest;
  /** Names a core field path as this item's caller named it (`phone_numbers[2].number` -> `add_phone`). */
  wireField: (path: string) => string;
}

/** A POST item: always a new contact; `external_id` is set on it. */
export function createRequestOf(item: CreateItem): MappedItem {
  // The create table marks name, first_name and last_name "(Required)": "either name" or "first_name and last_name".
  if (item.name === undefined) {
    const missing = (['first_name', 'last_name'] as const).filter((f) => (item[f] ?? '').trim() === '');
    if (missing.length === 2) throw validationError([{ path: 'name', message: 'is required (or first_name and last_name)' }]);
    if (missing.length > 0) throw validationError(missing.map((path) => ({ path, message: 'is required unless name is given' })));
  }
  return requestOf(item, undefined, item.external_id);
}

/** A PUT item: matched on `id`, else on `external_id`; neither: a new contact. */
export function putRequestOf(item: PutItem): MappedItem {
  if (item.id !== undefined) return requestOf(item, { seq: item.id }, item.external_id);
  return requestOf(item, item.external_id === undefined ? undefined : { externalId: item.external_id }, item.external_id);
}

function requestOf(item: CreateItem & Partial<PutItem>, key: ContactKey | undefined, externalId: string | undefined): MappedItem {
  const errors = new FieldErrors();
  const input: UpsertRequest['input'] = {};
  if (item.name !== undefined) {
    // "name will take precedence": first and last name come from it.
    const name = item.name.trim();
    if (name === '') errors.add('name', 'must not be blank');
    const [first, ...rest] = name.split(/\s+/);
    input.display_name = name;
    input.first_name = first || null;
    input.last_name = rest.length > 0 ? rest.join(' ') : null;
  } else {
    if (item.first_name !== undefined) input.first_name = item.first_name;
    if (item.last_name !== undefined) input.last_name = item.last_name;
  }
  if (externalId !== undefined) {
    if (externalId.trim() === '') errors.add('external_id', 'must not be blank');
    input.external_id = externalId;
  }
  if (item.custom_data !== undefined) input.custom_fields = item.custom_data;

  const phonePaths: string[] = [];
  const emailPaths: string[] = [];
  if (item.phone_numbers !== undefined) {
    input.phone_numbers = item.phone_numbers.map((p, i) => phoneOf(p, `phone_numbers[${i}]`, errors));
    phonePaths.push(...item.phone_numbers.map((_, i) => `phone_numbers[${i}]`));
  }
  if (item.email_addresses !== undefined) {
    input.emails = item.email_addresses.map((e): EmailInput => ({ address: e.address, type: e.type ?? 'other', is_primary: e.is_primary === true }));
    emailPaths.push(...item.email_addresses.map((_, i) => `email_addresses[${i}]`));
  }
  const addPhones = (['phone', 'add_phone'] as const).filter((f) => item[f] !== undefined);
  const addEmails = (['email', 'add_email'] as const).filter((f) => item[f] !== undefined);
  const add = { phones: addPhones.map((f): PhoneInput => ({ number: item[f]! })), emails: addEmails.map((f): EmailInput => ({ address: item[f]! })) };
  errors.throwIfAny();

  const book: BookRef | undefined =
    item.address_book_id === undefined && item.address_book === undefined ? undefined : { seq: item.address_book_id, name: item.address_book };
  const request: UpsertRequest = { input, add, ...(key ? { key } : {}), ...(book ? { book } : {}) };
  return {
    request,
    wireField: (path) => {
      const phone = /^phone_numbers\[(\d+)\](.*)$/.exec(path);
      if (phone) return listPath(phonePaths, addPhones, Number(phone[1]), phone[2]!, path);
      const email = /^emails\[(\d+)\](.*)$/.exec(path);
      if (email) return listPath(emailPaths, addEmails, Number(email[1]), email[2]!, path);
      return wireFieldOf(path);
    },
  };
}

/**
 * Core lists are the given array (or, on a change without one, the stored list) followed by the
 * added numbers: an index past the given array is one of the added ones.
 */
function listPath(given: string[], added: readonly string[], index: number, rest: string, path: string): string {
  if (index < given.length) return `${given[index]}${rest}`;
  const fromEnd = added.length - 1;
  if (added.length > 0) return added[Math.max(0, Math.min(index - given.length, fromEnd))]!;
  return wireFieldOf(path);
}

function phoneOf(p: NonNullable<CreateItem['phone_numbers']>[number], path: string, errors: FieldErrors): PhoneInput {
  if (p.is_mobile === false && p.type === 'mobile') errors.add(`${path}.is_mobile`, 'is false but type is "mobile"');
  return { number: p.number, type: p.is_mobile ? 'mobile' : (p.type ?? 'other'), is_primary: p.is_primary === true };
}

export function toApptotoContact(contact: Contact, book: AddressBook): ApptotoContact {
  const phone = contact.phone_numbers.find((p) => p.is_primary) ?? contact.phone_numbers[0];
  const email = contact.emails.find((e) => e.is_primary) ?? contact.emails[0];
  return {
    id: contact.seq,
    address_book_id: book.seq,
    address_book: book.name,
    external_id: contact.external_id,
    name: contact.display_name,
    first_name: contact.first_name,
    last_name: contact.last_name,
    phone: phone?.number ?? null,
    normalized_phone: phone?.e164 ?? null,
    email: email?.address ?? null,
    phone_numbers: contact.phone_numbers.map((p) => ({ number: p.number, normalized_number: p.e164, type: p.type, is_mobile: p.type === 'mobile', is_primary: p.is_primary })),
    email_addresses: contact.emails.map((e) => ({ address: e.address, type: e.type, is_primary: e.is_primary })),
    custom_data: contact.custom_fields,
    created_at: contact.created_at,
    updated_at: contact.updated_at,
  };
}

export function toApptotoBook(book: AddressBook) {
  return { id: book.seq, name: book.name, type: BOOK_TYPE, is_default: book.is_default, phone_types: [...PHONE_TYPES], email_types: [...EMAIL_TYPES] };
}
