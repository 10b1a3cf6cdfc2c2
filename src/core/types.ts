/** The domain's shapes. Nothing here knows of HTTP or SQL. */
import type { Surface } from './journal/change.types.ts';

export const CONTACT_TYPES = ['custom', 'user', 'queue'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** `inactive` is a soft delete (Kore.ai); `merged` keeps a merged-away record whole. */
export const CONTACT_STATUSES = ['active', 'inactive', 'merged'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const DUPLICATE_POLICIES = ['allow', 'reject', 'merge'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

export const SCOPES = ['contacts:read', 'contacts:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Phone {
  number: string;
  e164: string;
  type: string;
  label: string | null;
  extension: string | null;
  is_primary: boolean;
}

export interface Email {
  address: string;
  type: string;
  is_primary: boolean;
}

export interface Messaging {
  channel: string;
  handle: string;
}

export type CustomFieldValues = Record<string, string | number | boolean>;

/** Plain text fields of a contact, in the order the API shows them. */
export const CONTACT_TEXT_FIELDS = [
  'display_name',
  'first_name',
  'last_name',
  'salutation',
  'company',
  'role',
  'location',
  'timezone',
  'account_number',
  'external_id',
  'country',
  'user_name',
  'employee_id',
] as const;
export type ContactTextField = (typeof CONTACT_TEXT_FIELDS)[number];

export type ContactText = { [K in ContactTextField]: string | null };

export interface Contact extends ContactText {
  /** Database integer key: orders lists and is the integer id that 8x8 and Apptoto show. */
  seq: number;
  id: string;
  account_id: string;
  address_book_id: string;
  type: ContactType;
  status: ContactStatus;
  merged_into: string | null;
  phone_numbers: Phone[];
  emails: Email[];
  messaging: Messaging[];
  custom_fields: CustomFieldValues;
  group_ids: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PhoneInput {
  number: string;
  type?: string;
  label?: string | null;
  extension?: string | null;
  is_primary?: boolean;
}

export interface EmailInput {
  address: string;
  type?: string;
  is_primary?: boolean;
}

/** What a caller may set on a contact; absent means "not given", null means "clear". */
export type ContactInput = Partial<{ [K in ContactTextField]: string | null }> & {
  address_book_id?: string;
  type?: ContactType;
  phone_numbers?: PhoneInput[];
  emails?: EmailInput[];
  messaging?: Messaging[];
  custom_fields?: Record<string, unknown>;
  group_ids?: string[];
};

/** A tombstone as lists show it: the contact as it was deleted, and when. */
export type DeletedContact = Omit<Contact, 'status'> & { status: 'deleted'; deleted_at: string };

export interface AddressBook {
  seq: number;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  duplicate_policy: DuplicatePolicy;
  is_default: boolean;
  /** The unit the book belongs to (Zoom's address book units); every account has a default unit. */
  unit_id: string;
  created_at: string;
  updated_at: string;
}

/** A named set of address books (Zoom "address book units"); every account has a default one. */
export interface Unit {
  seq: number;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  is_default: boolean;
  created_at: string;
  updated_at: string;
}

export const CUSTOM_FIELD_TYPES = [
  'string',
  'number',
  'boolean',
  'date',
  'datetime',
  'email',
  'phone',
  'url',
  'currency',
  'percent',
  'pick_list',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface CustomField {
  seq: number;
  id: string;
  account_id: string;
  key: string;
  label: string | null;
  data_type: CustomFieldType;
  group: string | null;
  options: string[] | null;
  /** The field's name, unique in the account: its label, else its key (Zoom's `custom_field_name`). */
  name: string;
  description: string | null;
  /** A value of the field's type, stored as contact values are; null: none. */
  default_value: string | number | boolean | null;
  /** Address books the field is shown in (Zoom associates fields with books); empty: none named. */
  address_book_ids: string[];
  /** Display switches a platform keeps for the field (Zoom's `show_in_*`, `use_as_*`). */
  flags: Record<string, boolean>;
  created_at: string;
  updated_at: string;
}

export interface Group {
  seq: number;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  is_blocklist: boolean;
  created_at: string;
  updated_at: string;
}

export interface Account {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKey {
  id: string;
  account_id: string;
  scopes: Scope[];
  created_at: string;
  revoked_at: string | null;
}

/** Who is calling: resolved from an API key by the auth adapter. */
export interface Principal {
  accountId: string;
  /** The API key's id; '' for a caller with no key (the CLI running an import), journalled as null. */
  keyId: string;
  scopes: Scope[];
  /** The surface the call came through: what the change journal records as its actor. */
  surface: Surface;
  requestId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
