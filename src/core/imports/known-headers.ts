import { CONTACT_TEXT_FIELDS } from '../types.ts';
import { parseTarget } from './mapping-targets.ts';

/** Where an unmapped column's values go, judged by its header; null target: known, and ignored on purpose. */
export interface HeaderMatch {
  target: string | null;
  source: 'header' | 'native';
}

/**
 * Headers of the exports people bring: Google Contacts (older `Group Membership` / `Phone 1 - Type`
 * and current `Labels` / `Phone 1 - Label`), Outlook, the plain names of hand-made sheets and CRM
 * exports (`Email`, `Phone Number`, `Mobile`), and contactd's own CSV export. Keys are normalized
 * (see normalizeHeader).
 */
const VENDOR_HEADERS: Record<string, string> = {
  'first name': 'first_name',
  'given name': 'first_name',
  'last name': 'last_name',
  'family name': 'last_name',
  name: 'display_name',
  'name prefix': 'salutation',
  'organization name': 'company',
  'organization 1 name': 'company',
  'organization title': 'role',
  'organization 1 title': 'role',
  'group membership': 'groups',
  labels: 'groups',
  'address 1 formatted': 'location',
  // Outlook
  title: 'salutation',
  'job title': 'role',
  'mobile phone': 'phone_numbers[type=mobile]',
  'business phone': 'phone_numbers[type=work]',
  'business phone 2': 'phone_numbers[type=work]',
  'home phone': 'phone_numbers[type=home]',
  'home phone 2': 'phone_numbers[type=home]',
  'other phone': 'phone_numbers[type=other]',
  'primary phone': 'phone_numbers[type=main]',
  'company main phone': 'phone_numbers[type=main]',
  'business fax': 'phone_numbers[type=fax]',
  'home fax': 'phone_numbers[type=fax]',
  'other fax': 'phone_numbers[type=fax]',
  pager: 'phone_numbers[type=pager]',
  'e mail address': 'emails',
  'e mail 2 address': 'emails',
  'e mail 3 address': 'emails',
  categories: 'groups[split=;]',
  // Plain spreadsheets and CRM exports
  'full name': 'display_name',
  surname: 'last_name',
  'company name': 'company',
  organization: 'company',
  organisation: 'company',
  email: 'emails',
  'e mail': 'emails',
  'email address': 'emails',
  phone: 'phone_numbers',
  'phone number': 'phone_numbers',
  'phone type': 'phone_numbers.type',
  'email type': 'emails.type',
  telephone: 'phone_numbers',
  mobile: 'phone_numbers[type=mobile]',
  'mobile number': 'phone_numbers[type=mobile]',
  'mobile phone number': 'phone_numbers[type=mobile]',
  'cell phone': 'phone_numbers[type=mobile]',
  'work phone': 'phone_numbers[type=work]',
  fax: 'phone_numbers[type=fax]',
};

/** Columns of contactd's own export that describe the record, not the contact: read back as nothing. */
const NATIVE_IGNORED = new Set(['id', 'address book', 'address book id', 'created at', 'updated at', 'status', 'version']);

const NATIVE_TEXT = new Map<string, string>(CONTACT_TEXT_FIELDS.map((f) => [normalizeHeader(f), f]));

/** Lower case, trimmed, with runs of spaces, `-` and `_` made one space: `E-mail 1 - Value` -> `e mail 1 value`. */
export function normalizeHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

/** The target a header suggests, or null when no known export writes it. */
export function matchHeader(header: string): HeaderMatch | null {
  const trimmed = header.trim();
  if (/^custom_fields\./i.test(trimmed)) return { target: `custom_fields.${trimmed.slice('custom_fields.'.length).trim()}`, source: 'native' };
  const key = normalizeHeader(header);
  if (key === 'type') return { target: 'type', source: 'native' };
  if (key === 'groups') return { target: 'groups', source: 'native' };
  const vendor = VENDOR_HEADERS[key];
  if (vendor) return { target: vendor, source: 'header' };
  if (NATIVE_IGNORED.has(key)) return { target: null, source: 'native' };
  const text = NATIVE_TEXT.get(key);
  if (text) return { target: text, source: 'native' };
  return numberedHeader(key, trimmed) ?? nativeTarget(trimmed);
}

/** `Phone 1 - Value` / `phone_1`, `E-mail 2 - Type` / `email_2_type`, `messaging_1_handle`, ... */
function numberedHeader(key: string, raw: string): HeaderMatch | null {
  const google = /^(phone|e mail) (\d{1,3}) (type|label|value)$/.exec(key);
  // Google's `Phone 1 - Label` holds the type ("Mobile"); contactd's `phone_1_label` holds the free label.
  if (google && (google[1] === 'e mail' || google[3] !== 'label' || raw.includes(' - '))) {
    const list = google[1] === 'phone' ? 'phone_numbers' : 'emails';
    return { target: google[3] === 'value' ? `${list}[${google[2]}]` : `${list}[${google[2]}].type`, source: 'header' };
  }
  const native = /^(phone|email|messaging) (\d{1,3})(?: (type|label|extension|channel|handle))?$/.exec(key);
  if (!native) return null;
  const [, list, slot, part] = native;
  if (list === 'messaging') return part === 'channel' || part === 'handle' ? { target: `messaging[${slot}].${part}`, source: 'native' } : null;
  const name = list === 'phone' ? 'phone_numbers' : 'emails';
  if (part === undefined) return { target: `${name}[${slot}]`, source: 'native' };
  if (list === 'email' && part !== 'type') return null;
  if (part === 'channel' || part === 'handle') return null;
  return { target: `${name}[${slot}].${part}`, source: 'native' };
}

/** A header that is itself a target of the grammar (`phone_numbers[type=mobile]`). */
function nativeTarget(raw: string): HeaderMatch | null {
  const parsed = parseTarget(raw);
  return 'problem' in parsed ? null : { target: raw, source: 'native' };
}
