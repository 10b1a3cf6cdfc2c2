import { FieldErrors } from '../errors.ts';
import { normalizeCustomFieldValues } from './custom-field-values.ts';
import { toE164 } from '../phones.ts';
import {
  CONTACT_TEXT_FIELDS,
  type Contact,
  type ContactInput,
  type ContactText,
  type ContactType,
  type CustomField,
  type CustomFieldValues,
  type Email,
  type Messaging,
  type Phone,
} from '../types.ts';
import { isEmail, isTimeZone } from '../values.ts';

/** Everything about a contact that a caller sets (as opposed to ids, status and timestamps). */
export type ContactState = ContactText & {
  address_book_id: string;
  type: ContactType;
  phone_numbers: Phone[];
  emails: Email[];
  messaging: Messaging[];
  custom_fields: CustomFieldValues;
  group_ids: string[];
};

/**
 * What one contact may hold, counted after phones are read to E.164 and repeats dropped, however
 * the caller sent them (Apptoto: `phone` beside `phone_numbers`, `add_phone` onto a stored list).
 * Wire schemas may allow fewer (Zoom: 5 phones), never more.
 */
export const CONTACT_LIMITS = { phone_numbers: 50, emails: 50, messaging: 50 } as const;

export interface StateContext {
  region: string;
  /** By key; a value is read by its field's type (and a pick list's options). */
  customFields: Map<string, Pick<CustomField, 'data_type' | 'options'>>;
}

/**
 * Validates a complete input and returns the state to store: phones parsed to E.164, emails and
 * handles checked, custom values typed, one primary phone and email, display name defaulted.
 * Every bad field is reported at once.
 */
export function buildContactState(input: ContactInput & { address_book_id: string }, ctx: StateContext): ContactState {
  const errors = new FieldErrors();
  const text = Object.fromEntries(CONTACT_TEXT_FIELDS.map((f) => [f, emptyToNull(input[f])])) as ContactText;
  if (text.timezone !== null && !isTimeZone(text.timezone)) errors.add('timezone', 'is not an IANA time zone name');
  if (text.country !== null) {
    if (/^[A-Za-z]{2}$/.test(text.country)) text.country = text.country.toUpperCase();
    else errors.add('country', 'must be an ISO 3166 alpha-2 country code');
  }
  text.display_name ??= defaultDisplayName(text);

  const state: ContactState = {
    ...text,
    address_book_id: input.address_book_id,
    type: input.type ?? 'custom',
    phone_numbers: buildPhones(input.phone_numbers ?? [], ctx.region, errors),
    emails: buildEmails(input.emails ?? [], errors),
    messaging: buildMessaging(input.messaging ?? [], errors),
    custom_fields: normalizeCustomFieldValues(input.custom_fields ?? {}, ctx.customFields, ctx.region, errors),
    group_ids: [...new Set(input.group_ids ?? [])],
  };
  for (const list of ['phone_numbers', 'emails', 'messaging'] as const) {
    if (state[list].length > CONTACT_LIMITS[list]) errors.add(list, `a contact holds at most ${CONTACT_LIMITS[list]} (${state[list].length} given, repeats counted once)`);
  }
  errors.throwIfAny();
  return state;
}

/** Applies a JSON merge patch (RFC 7396) to a stored contact and returns the complete input. */
export function applyMergePatch(current: Contact, patch: ContactInput): ContactInput & { address_book_id: string } {
  const merged: ContactInput & { address_book_id: string } = { ...stateOf(current), ...definedOnly(patch) };
  if (patch.address_book_id === null || patch.address_book_id === undefined) merged.address_book_id = current.address_book_id;
  if (patch.custom_fields !== undefined) {
    const values: Record<string, unknown> = patch.custom_fields === null ? {} : { ...current.custom_fields };
    for (const [key, value] of Object.entries(patch.custom_fields ?? {})) {
      if (value === null) delete values[key];
      else values[key] = value;
    }
    merged.custom_fields = values;
  }
  for (const list of ['phone_numbers', 'emails', 'messaging', 'group_ids'] as const) {
    if (patch[list] === null) merged[list] = [];
  }
  if (patch.type === null) merged.type = current.type;
  // A display name we derived follows the names it came from, unless the patch sets it.
  if (patch.display_name === undefined && current.display_name === defaultDisplayName(current)) merged.display_name = null;
  return merged;
}

/** The caller-set part of a stored contact. */
export function stateOf(contact: Contact): ContactState {
  const text = Object.fromEntries(CONTACT_TEXT_FIELDS.map((f) => [f, contact[f]])) as ContactText;
  return {
    ...text,
    address_book_id: contact.address_book_id,
    type: contact.type,
    phone_numbers: contact.phone_numbers,
    emails: contact.emails,
    messaging: contact.messaging,
    custom_fields: contact.custom_fields,
    group_ids: contact.group_ids,
  };
}

function defaultDisplayName(text: { first_name: string | null; last_name: string | null }): string | null {
  const joined = [text.first_name, text.last_name].filter((p) => p !== null && p !== '').join(' ');
  return joined === '' ? null : joined;
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function buildPhones(inputs: NonNullable<ContactInput['phone_numbers']>, region: string, errors: FieldErrors): Phone[] {
  const phones: Phone[] = [];
  inputs.forEach((p, i) => {
    const e164 = toE164(p.number, region);
    if (e164 === null) return errors.add(`phone_numbers[${i}].number`, `"${p.number}" is not a phone number`);
    if (phones.some((known) => known.e164 === e164)) return; // the same number twice is one number
    phones.push({ number: p.number, e164, type: p.type ?? 'other', label: p.label ?? null, extension: p.extension ?? null, is_primary: p.is_primary === true });
  });
  settlePrimary(phones, 'phone_numbers', errors);
  return phones;
}

function buildEmails(inputs: NonNullable<ContactInput['emails']>, errors: FieldErrors): Email[] {
  const emails: Email[] = [];
  inputs.forEach((e, i) => {
    const address = e.address.trim();
    if (!isEmail(address)) return errors.add(`emails[${i}].address`, `"${e.address}" is not an email address`);
    if (emails.some((known) => known.address.toLowerCase() === address.toLowerCase())) return;
    emails.push({ address, type: e.type ?? 'other', is_primary: e.is_primary === true });
  });
  settlePrimary(emails, 'emails', errors);
  return emails;
}

function buildMessaging(inputs: Messaging[], errors: FieldErrors): Messaging[] {
  const handles: Messaging[] = [];
  inputs.forEach((m, i) => {
    const channel = m.channel.trim().toLowerCase();
    const handle = m.handle.trim();
    if (!/^[a-z0-9_.-]{1,40}$/.test(channel)) return errors.add(`messaging[${i}].channel`, 'must be a channel name such as whatsapp or wechat');
    if (handle === '') return errors.add(`messaging[${i}].handle`, 'must not be empty');
    if (!handles.some((h) => h.channel === channel && h.handle === handle)) handles.push({ channel, handle });
  });
  return handles;
}

/** Exactly one primary in a non-empty list: the one marked, or else the first. */
function settlePrimary(items: { is_primary: boolean }[], path: string, errors: FieldErrors): void {
  const marked = items.filter((i) => i.is_primary).length;
  if (marked > 1) errors.add(path, 'only one entry may be primary');
  else if (marked === 0 && items.length > 0) items[0]!.is_primary = true;
}
