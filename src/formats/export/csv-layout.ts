import type { ListShape } from '../../core/ports.ts';
import { CONTACT_TEXT_FIELDS, type Contact, type CustomField } from '../../core/types.ts';

/**
 * The native CSV layout: what `GET /v1/contacts/export?format=csv` writes and the import reads
 * back by header. One column per field, numbered columns for each phone, email and messaging
 * handle up to the most any exported contact holds, one column per custom field the account defines.
 */

/** The text fields after `id`, `external_id` and `type`, in the API's order. */
export const CSV_TEXT_FIELDS = CONTACT_TEXT_FIELDS.filter((f) => f !== 'external_id');

/** Several group names in one cell, as Google Contacts joins several values. */
export const GROUP_SEPARATOR = ' ::: ';

/** One column: its header and how a contact's cell is written. */
interface Column {
  header: string;
  cell(contact: Contact): string;
}

/** The columns for an export of this shape, in order. */
export function csvColumns(shape: ListShape, customFields: CustomField[], names: { groups: Map<string, string>; books: Map<string, string> }): Column[] {
  const text = (value: string | null | undefined) => value ?? '';
  return [
    { header: 'id', cell: (c) => c.id },
    { header: 'external_id', cell: (c) => text(c.external_id) },
    { header: 'type', cell: (c) => c.type },
    ...CSV_TEXT_FIELDS.map((field) => ({ header: field, cell: (c: Contact) => text(c[field]) })),
    ...numbered(shape.phones, (n, at) => [
      { header: `phone_${n}`, cell: (c) => text(at(c.phone_numbers)?.e164) },
      { header: `phone_${n}_type`, cell: (c) => text(at(c.phone_numbers)?.type) },
      { header: `phone_${n}_label`, cell: (c) => text(at(c.phone_numbers)?.label) },
      { header: `phone_${n}_extension`, cell: (c) => text(at(c.phone_numbers)?.extension) },
    ]),
    ...numbered(shape.emails, (n, at) => [
      { header: `email_${n}`, cell: (c) => text(at(c.emails)?.address) },
      { header: `email_${n}_type`, cell: (c) => text(at(c.emails)?.type) },
    ]),
    ...numbered(shape.messaging, (n, at) => [
      { header: `messaging_${n}_channel`, cell: (c) => text(at(c.messaging)?.channel) },
      { header: `messaging_${n}_handle`, cell: (c) => text(at(c.messaging)?.handle) },
    ]),
    { header: 'groups', cell: (c) => c.group_ids.map((id) => names.groups.get(id)).filter((n) => n !== undefined).join(GROUP_SEPARATOR) },
    ...customFields.map((field) => ({ header: `custom_fields.${field.key}`, cell: (c: Contact) => customCell(c.custom_fields[field.key]) })),
    { header: 'address_book', cell: (c) => text(names.books.get(c.address_book_id)) },
    { header: 'created_at', cell: (c) => c.created_at },
    { header: 'updated_at', cell: (c) => c.updated_at },
  ];
}

/** Columns 1..count, each group made by `make` with its number and a picker of the n-th list item. */
function numbered(count: number, make: (n: number, at: <T>(list: T[]) => T | undefined) => Column[]): Column[] {
  return Array.from({ length: count }, (_, i) => make(i + 1, (list) => list[i])).flat();
}

/** Numbers plain, booleans as true/false; dates, date-times and the rest are stored as their ISO text already. */
function customCell(value: string | number | boolean | undefined): string {
  return value === undefined ? '' : String(value);
}
