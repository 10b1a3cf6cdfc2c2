import type { ContactWriter, ExportContext } from '../../core/exports/export.types.ts';
import { CONTACT_TEXT_FIELDS, type Contact } from '../../core/types.ts';

/**
 * One JSON object a line in the native create shape (`ContactCreate`), plus `id`, with groups by
 * name (`groups`) instead of ids and no `address_book_id`: ids are the account's own, names are
 * what another account can match, so a file imports elsewhere unchanged. Empty fields are left out.
 */
export function ndjsonWriter(context: ExportContext): ContactWriter {
  return {
    start: () => '',
    write: (contacts) => contacts.map((c) => `${JSON.stringify(createShapeOf(c, context.groupNames))}\n`).join(''),
  };
}

export function createShapeOf(contact: Contact, groupNames: Map<string, string>): Record<string, unknown> {
  const shape: Record<string, unknown> = { id: contact.id, type: contact.type };
  for (const field of CONTACT_TEXT_FIELDS) if (contact[field] !== null) shape[field] = contact[field];
  shape.phone_numbers = contact.phone_numbers.map((p) => ({
    number: p.e164,
    type: p.type,
    ...(p.label === null ? {} : { label: p.label }),
    ...(p.extension === null ? {} : { extension: p.extension }),
    is_primary: p.is_primary,
  }));
  shape.emails = contact.emails.map((e) => ({ address: e.address, type: e.type, is_primary: e.is_primary }));
  shape.messaging = contact.messaging.map((m) => ({ channel: m.channel, handle: m.handle }));
  shape.custom_fields = contact.custom_fields;
  shape.groups = contact.group_ids.map((id) => groupNames.get(id)).filter((name) => name !== undefined);
  return shape;
}
