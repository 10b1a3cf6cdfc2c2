import type { Contact, Phone } from '../core/types.ts';

/** What every phone book shows of a contact: its name, and each number with a label for its type. */
export interface DirectoryEntry {
  name: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  numbers: DirectoryNumber[];
}

export interface DirectoryNumber {
  /** E.164: dialable from any phone whatever its region. */
  number: string;
  /** The core's type (mobile, work, home, main, fax, pager, other, or a type of the caller's own). */
  type: string;
  /** What the phone shows beside the number: the phone's own label, else its type, and its extension. */
  label: string;
}

const TYPE_LABELS: Record<string, string> = { mobile: 'Mobile', work: 'Work', home: 'Home', main: 'Main', fax: 'Fax', pager: 'Pager', other: 'Other' };

/** The entry of a contact, or null for one without a number (a phone book is for dialling). */
export function entryOf(contact: Contact): DirectoryEntry | null {
  if (contact.phone_numbers.length === 0) return null;
  const joined = [contact.first_name, contact.last_name].filter((p) => p !== null && p !== '').join(' ');
  const name = contact.display_name ?? (joined || contact.company || contact.phone_numbers[0]!.e164);
  return { name, firstName: contact.first_name, lastName: contact.last_name, company: contact.company, numbers: contact.phone_numbers.map(numberOf) };
}

function numberOf(phone: Phone): DirectoryNumber {
  const base = phone.label ?? TYPE_LABELS[phone.type] ?? phone.type.charAt(0).toUpperCase() + phone.type.slice(1);
  return { number: phone.e164, type: phone.type, label: phone.extension ? `${base} ext. ${phone.extension}` : base };
}
