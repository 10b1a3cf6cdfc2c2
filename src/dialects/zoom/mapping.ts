import type { Static } from 'typebox';
import { isOutdated, textOfValue, valueFromText } from '../../core/directory/custom-field-text.ts';
import { normalizeCustomFieldValue } from '../../core/contacts/custom-field-values.ts';
import type { BookSummary } from '../../core/directory/unit.service.ts';
import type { AddressBook, Contact, ContactInput, CustomField, CustomFieldType, Messaging, Unit } from '../../core/types.ts';
import type { ContactCreateBody, ContactPatchBody, ZoomContact, ZoomVariable } from './contact-schemas.ts';
import { MAX_EMAILS, MAX_PHONES, TEXT_LIMITS } from './contact-schemas.ts';
import { ZOOM, zoomError } from './errors.ts';
import type { ZoomDataType } from './field-schemas.ts';
import type { ZoomBook, ZoomUnit } from './schemas.ts';

/** The translations of the Zoom dialect: wire -> core input, core -> wire, for every resource. */

/** Zoom consumer ids live beside the contact's other handles, on this channel. */
export const CONSUMER_CHANNEL = 'zoom_consumer';

/** Zoom consumer ids are URL-safe tokens (`cvC2JxWkToWZsJUenBvNnw`); anything else is 2106. */
const CONSUMER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const TEXT_FIELDS = ['display_name', 'first_name', 'last_name', 'location', 'timezone', 'account_number', 'company', 'role'] as const;

export function toZoomUnit(unit: Unit): Static<typeof ZoomUnit> {
  return { unit_id: unit.id, unit_name: unit.name, ...(unit.description !== null ? { unit_description: unit.description } : {}) };
}

export function toZoomBook({ book, unit, contactCount }: BookSummary): Static<typeof ZoomBook> {
  return {
    address_book_id: book.id,
    address_book_name: book.name,
    ...(book.description !== null ? { address_book_description: book.description } : {}),
    total_contacts: contactCount,
    unit_id: unit.id,
    unit_name: unit.name,
  };
}

// Data types ----------------------------------------------------------------------------------

/** Core types Zoom has no name for show as `string` (date, url). */
export function zoomTypeOf(type: CustomFieldType): ZoomDataType {
  if (type === 'datetime') return 'dateTime';
  if (type === 'date' || type === 'url') return 'string';
  return type;
}

export function coreTypeOf(type: ZoomDataType): CustomFieldType {
  return type === 'dateTime' ? 'datetime' : type;
}

/** The account's fields by id, to read `custom_field_id` / `variable_id` and to show values. */
export type FieldIndex = { byId: Map<string, CustomField>; byKey: Map<string, CustomField> };

export function indexFields(fields: CustomField[]): FieldIndex {
  return { byId: new Map(fields.map((f) => [f.id, f])), byKey: new Map(fields.map((f) => [f.key, f])) };
}

// Contacts: core -> wire ----------------------------------------------------------------------

/**
 * A core contact as Zoom shows it. Lists are cut to Zoom's limits (5 phones, 4 emails) and text
 * to its lengths, so that a contact written through another API still fits Zoom's schema.
 */
export function toZoomContact(contact: Contact, book: AddressBook, fields: FieldIndex, fieldsUrl: string): Static<typeof ZoomContact> {
  const phones = contact.phone_numbers.map((p) => p.e164).slice(0, MAX_PHONES);
  const emails = contact.emails.map((e) => e.address).slice(0, MAX_EMAILS);
  const display = contact.display_name ?? phones[0] ?? emails[0] ?? '';
  const wire: Static<typeof ZoomContact> = {
    contact_id: contact.id,
    display_name: clip(display, TEXT_LIMITS.display_name),
    phone_numbers: phones,
    emails,
    address_book_id: book.id,
    address_book_name: book.name,
  };
  for (const field of TEXT_FIELDS) {
    const value = contact[field];
    if (field !== 'display_name' && value !== null) wire[field] = clip(value, TEXT_LIMITS[field]);
  }
  const variables = variablesOf(contact, fields);
  if (variables.length > 0) {
    wire.variables = variables;
    wire.custom_fields_url = fieldsUrl;
  }
  const consumers = contact.messaging.filter((m) => m.channel === CONSUMER_CHANNEL).map((m) => m.handle).slice(0, 10);
  if (consumers.length > 0) wire.consumer_ids = consumers;
  return wire;
}

function variablesOf(contact: Contact, fields: FieldIndex): Static<typeof ZoomVariable>[] {
  const variables: Static<typeof ZoomVariable>[] = [];
  for (const [key, value] of Object.entries(contact.custom_fields)) {
    const field = fields.byKey.get(key);
    if (!field) continue; // a value whose field was deleted stays stored but is not shown
    variables.push({
      ...(field.group !== null ? { variable_group_id: field.group } : {}),
      variable_id: field.id,
      variable_name: field.name,
      data_type: field.data_type === 'boolean' ? 'boolean' : 'string',
      variable_value: textOfValue(field, value),
    });
  }
  return variables;
}

/** A contact's values for the custom-fields list: every defined field it holds a value of. */
export function contactFieldValues(contact: Contact, fields: FieldIndex, region: string) {
  return Object.entries(contact.custom_fields)
    .map(([key, value]) => ({ field: fields.byKey.get(key), value }))
    .filter((e): e is { field: CustomField; value: string | number | boolean } => e.field !== undefined)
    .sort((a, b) => a.field.seq - b.field.seq)
    .map(({ field, value }) => ({
      custom_field_id: field.id,
      custom_field_name: clip(field.name, 30),
      data_type: zoomTypeOf(field.data_type),
      custom_field_value: clip(textOfValue(field, value), 512),
      outdated: isOutdated(field, value, region),
    }));
}

// Contacts: wire -> core ----------------------------------------------------------------------

type Body = Static<typeof ContactCreateBody> | Static<typeof ContactPatchBody>;

/**
 * A create or PATCH body as core input: text fields as they are, phones and emails as lists,
 * variables and custom fields by the field's key with typed values (unknown id: 2114; a value
 * that does not fit: 2113, or 2116 outside a pick_list's values). `current` is the stored
 * contact on a PATCH, whose other handles stay when consumer ids change.
 */
export function contactInputOf(body: Body, fields: FieldIndex, region: string, current?: Contact): ContactInput {
  const input: ContactInput = {};
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value !== undefined) input[field] = value.trim() === '' ? null : value.trim();
  }
  if (body.display_name !== undefined && body.display_name.trim() === '') throw zoomError(400, ZOOM.displayNameEmpty, 'The display_name field cannot be an empty value.');
  if (body.phone_numbers !== undefined) input.phone_numbers = body.phone_numbers.map((number) => ({ number }));
  if (body.emails !== undefined) input.emails = body.emails.map((address) => ({ address }));
  if (body.consumer_ids !== undefined) {
    const invalid = body.consumer_ids.filter((id) => !CONSUMER_ID.test(id));
    if (invalid.length > 0) throw zoomError(400, ZOOM.invalidConsumerIds, `Invalid consumer IDs: ${invalid.join(', ')}.`);
    const others: Messaging[] = (current?.messaging ?? []).filter((m) => m.channel !== CONSUMER_CHANNEL);
    input.messaging = [...others, ...body.consumer_ids.map((handle) => ({ channel: CONSUMER_CHANNEL, handle }))];
  }
  const values = [
    ...(body.variables ?? []).map((v) => ({ id: v.variable_id, value: v.variable_value })),
    ...(body.custom_fields ?? []).map((c) => ({ id: c.custom_field_id, value: c.custom_field_value })),
  ];
  if (values.length > 0) {
    const customFields: Record<string, unknown> = {};
    for (const { id, value } of values) {
      const field = fields.byId.get(id);
      if (!field) throw zoomError(400, ZOOM.customFieldInvalid, `Custom field is invalid: ${id}`);
      customFields[field.key] = value === undefined || value === '' ? null : typedValue(field, value, region);
    }
    // A create has nothing to clear: a cleared value is simply not set.
    input.custom_fields = current === undefined ? Object.fromEntries(Object.entries(customFields).filter(([, v]) => v !== null)) : customFields;
  }
  return input;
}

function typedValue(field: CustomField, text: string, region: string): string | number | boolean {
  const parsed = valueFromText(field, text);
  const checked = 'problem' in parsed ? parsed : normalizeCustomFieldValue(field, parsed.value, region);
  if (typeof checked !== 'object') return checked;
  if (field.data_type === 'pick_list') throw zoomError(400, ZOOM.valueNotInPickList, `Invalid custom field value ${text}. The provided value is not in the list of supported picklist values.`);
  throw zoomError(400, ZOOM.customFieldValueMismatch, `Contact custom field value ${text} format does not match the data type ${zoomTypeOf(field.data_type)}.`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
