import type { ContactWriter, ExportContext, VCardVersion } from '../../core/exports/export.types.ts';
import { contactToVCard } from '../vcard/index.ts';

/** One vCard after another, through the codec (which gives each its CRLF line ends). */
export function vcardWriter(version: VCardVersion): (context: ExportContext) => ContactWriter {
  return (context) => {
    const card = { groupNames: context.groupNames, customFields: context.customFields };
    return {
      start: () => '',
      write: (contacts) => contacts.map((contact) => contactToVCard(contact, card, version)).join(''),
    };
  };
}
