import type { Generated, Selectable } from 'kysely';

/**
 * The tables as Kysely sees them. Booleans are integers (0/1) and JSON is text on both engines,
 * so one migration set and one set of queries serve SQLite and PostgreSQL alike.
 * `seq` is the database's integer key: it orders lists and gives the integer ids that
 * 8x8 and Apptoto show; `id` is the UUID every API uses.
 */
export interface Database {
  accounts: AccountTable;
  api_keys: ApiKeyTable;
  address_books: AddressBookTable;
  units: UnitTable;
  custom_fields: CustomFieldTable;
  contacts: ContactTable;
  contact_addresses: ContactAddressTable;
  contact_terms: ContactTermTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  batch_jobs: BatchJobTable;
  batch_job_results: BatchJobResultTable;
  change_positions: ChangePositionTable;
  changes: ChangeTable;
  contact_tombstones: ContactTombstoneTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  contact_cards: ContactCardTable;
}

export interface AccountTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  account_id: string;
  secret_hash: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AddressBookTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  duplicate_policy: string;
  is_default: number;
  unit_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface UnitTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  is_default: number;
  created_at: string;
  updated_at: string;
}

export interface CustomFieldTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  key: string;
  label: string | null;
  data_type: string;
  group_name: string | null;
  options: string | null;
  description: string | null;
  /** JSON of the typed value, or null. */
  default_value: string | null;
  /** JSON array of address book ids. */
  address_book_ids: string;
  /** JSON object of named booleans. */
  flags: string;
  created_at: string;
  updated_at: string;
}

export interface ContactTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  address_book_id: string;
  type: string;
  status: string;
  merged_into: string | null;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  salutation: string | null;
  company: string | null;
  role: string | null;
  location: string | null;
  timezone: string | null;
  account_number: string | null;
  external_id: string | null;
  country: string | null;
  user_name: string | null;
  employee_id: string | null;
  phone_numbers: string;
  emails: string;
  messaging: string;
  custom_fields: string;
  group_ids: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Lookup index: one row per phone (E.164), email (lower case) or messaging handle of a live contact. */
export interface ContactAddressTable {
  account_id: string;
  address_book_id: string;
  contact_seq: number;
  kind: string;
  value: string;
}

/** Search index: lower-case name words, emails and phone digits of a live contact, for prefix search. */
export interface ContactTermTable {
  account_id: string;
  contact_seq: number;
  term: string;
}

export interface GroupTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  is_blocklist: number;
  created_at: string;
  updated_at: string;
}

export interface GroupMemberTable {
  group_id: string;
  contact_seq: number;
  account_id: string;
  created_at: string;
}

export type ContactRow = Selectable<ContactTable>;
export type AddressBookRow = Selectable<AddressBookTable>;
export type CustomFieldRow = Selectable<CustomFieldTable>;
export type GroupRow = Selectable<GroupTable>;
export type UnitRow = Selectable<UnitTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;

/** An asynchronous batch job; `payload` is its work as JSON, `owner` the node running it. */
export interface BatchJobTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  key_id: string;
  scopes: string;
  kind: string;
  status: string;
  payload: string;
  total: number;
  processed: number;
  succeeded: number;
  merged: number;
  failed: number;
  owner: string | null;
  heartbeat_at: string | null;
  progressed_at: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** The surface the job was accepted through (core/journal/change.types.ts). */
  surface: Generated<string>;
}

export interface BatchJobResultTable {
  job_id: string;
  item_index: number;
  status: string;
  ref: string | null;
  ref_seq: number | null;
  code: string | null;
  message: string | null;
}

export type BatchJobRow = Selectable<BatchJobTable>;

/** The account's last feed position: its row lock orders the account's commits (core/journal). */
export interface ChangePositionTable {
  account_id: string;
  position: number;
}

/** One change of the journal; `fields`, `snapshot` and `meta` are JSON, null once purged. */
export interface ChangeTable {
  account_id: string;
  position: number;
  type: string;
  object_id: string;
  key_id: string | null;
  surface: string;
  request_id: string | null;
  at: string;
  fields: string | null;
  snapshot: string | null;
  meta: string | null;
}

export type ChangeRow = Selectable<ChangeTable>;

/** A deleted contact: the live row's columns, its own seq kept, and when it was deleted. */
export interface ContactTombstoneTable extends Omit<ContactTable, 'seq'> {
  seq: number;
  deleted_at: string;
}

/** A webhook endpoint: settings, secrets (never journalled), delivery cursor and lease (core/webhooks). */
export interface WebhookTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  url: string;
  /** JSON list. */
  event_types: string;
  description: string | null;
  enabled: number;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
  cursor: number;
  attempt: number;
  next_attempt_at: string | null;
  failing_since: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export type WebhookRow = Selectable<WebhookTable>;

/** One delivery attempt. */
export interface WebhookDeliveryTable {
  seq: Generated<number>;
  account_id: string;
  webhook_id: string;
  event_id: string;
  position: number;
  type: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
  at: string;
}

/** A CardDAV client's resource name, UID and unmodeled vCard properties of one contact (core/cards). */
export interface ContactCardTable {
  contact_id: string;
  account_id: string;
  name: string | null;
  uid: string | null;
  /** JSON array of unfolded content lines. */
  properties: string;
  updated_at: string;
}
