/** The API's shapes as the console reads them (openapi.json is the full description). */

export type Scope = 'contacts:read' | 'contacts:write' | 'admin';

export interface Me {
  account_id: string;
  key_id: string;
  scopes: Scope[];
}

export interface Phone {
  number: string;
  e164: string;
  type: string;
  label?: string | null;
  extension?: string | null;
  is_primary?: boolean;
}

export interface Contact {
  id: string;
  address_book_id: string;
  type: string;
  status: 'active' | 'inactive' | 'merged' | 'deleted';
  merged_into: string | null;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  account_number: string | null;
  external_id: string | null;
  phone_numbers: Phone[];
  emails: { address: string; type: string; is_primary?: boolean }[];
  custom_fields: Record<string, string | number | boolean>;
  group_ids: string[];
  version: number;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export interface AddressBook {
  id: string;
  name: string;
  description: string | null;
  duplicate_policy: 'allow' | 'reject' | 'merge';
  is_default: boolean;
}

export interface Group {
  id: string;
  name: string;
  description: string | null;
  is_blocklist: boolean;
}

export interface CustomField {
  id: string;
  key: string;
  label: string | null;
  data_type: string;
  group: string | null;
  options: string[] | null;
}

export interface Change {
  position: number;
  type: string;
  action: string;
  actor: { key_id: string | null; surface: string };
  at: string;
  fields: Record<string, { before: unknown; after: unknown }> | null;
  meta: Record<string, unknown>;
}

export const nameOf = (c: Pick<Contact, 'display_name' | 'first_name' | 'last_name'>) =>
  c.display_name || [c.first_name, c.last_name].filter(Boolean).join(' ') || '(no name)';

/** A stored phone as the API takes it back: everything it holds but its derived E.164 form. */
export const phoneInputOf = (p: Phone) => ({
  number: p.number, type: p.type, ...(p.label ? { label: p.label } : {}), ...(p.extension ? { extension: p.extension } : {}), ...(p.is_primary ? { is_primary: true } : {}),
});

/** A stored email as the API takes it back. */
export const emailInputOf = (e: Contact['emails'][number]) => ({ address: e.address, type: e.type, ...(e.is_primary ? { is_primary: true } : {}) });

/** A moment as a datetime-local input shows it: the browser's own time zone, to the minute (the input reads its value back as local time). */
export function localInputOf(moment: string | number | Date): string {
  const d = new Date(moment);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
