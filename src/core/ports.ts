import type {
  Account,
  AddressBook,
  ApiKey,
  Contact,
  ContactStatus,
  ContactTextField,
  ContactType,
  CustomField,
  Group,
  Page,
  Unit,
} from './types.ts';
import type { Change, ChangeActor, ChangeDraft, ChangeType } from './journal/change.types.ts';
import type { BatchItemResult, BatchJob, BatchKind, BatchProgress } from './batch-jobs/batch-job.types.ts';
import type { CardRecord, NamedCardEntry } from './cards/card.types.ts';
import type { ImportChunkProgress, ImportErrorRecord, ImportJob } from './imports/import-job.types.ts';
import type { DeliveryState, Webhook, WebhookDelivery, WebhookRecord, WebhookSecrets } from './webhooks/webhook.types.ts';

/**
 * What the core needs from storage. One implementation (src/store) serves both engines;
 * the core never sees SQL. Every repository call made inside `transaction` runs in it.
 */
export interface Store {
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** Inside a transaction: runs `work`, undoing only its writes if it throws (then rethrows). */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Serializes writers of one key until the surrounding transaction ends, across every API
   * node sharing the database. Used where a rule spans rows (duplicate policies, upserts).
   */
  lock(key: string): Promise<void>;
  isReachable(): Promise<boolean>;
  /**
   * Opens a read-only view of the data as it is now, that later writes do not change and that
   * does not hold writers back. Long reads (exports) page through it; close it when done.
   */
  openSnapshot(): Promise<StoreSnapshot>;
  accounts: AccountRepository;
  apiKeys: ApiKeyRepository;
  addressBooks: AddressBookRepository;
  units: UnitRepository;
  customFields: CustomFieldRepository;
  contacts: ContactRepository;
  groups: GroupRepository;
  batchJobs: BatchJobRepository;
  changes: ChangeRepository;
  tombstones: TombstoneRepository;
  webhooks: WebhookRepository;
  duplicates: DuplicateRepository;
  cards: CardRepository;
  imports: ImportJobRepository;
}

/** One consistent, read-only view of the data (see `Store.openSnapshot`). */
export interface StoreSnapshot {
  readonly reads: SnapshotReads;
  /** Ends the view; safe to call more than once. */
  close(): Promise<void>;
}

/** What may be read inside a snapshot. */
export type SnapshotReads = Pick<Store, 'contacts' | 'groups' | 'customFields' | 'addressBooks'>;

/** The most phones, emails and messaging handles any one contact of a list holds. */
export interface ListShape {
  phones: number;
  emails: number;
  messaging: number;
}

export interface AccountRepository {
  insert(account: Account): Promise<void>;
  find(id: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
}

export interface ApiKeyRepository {
  insert(key: ApiKey, secretHash: string): Promise<void>;
  findBySecretHash(secretHash: string): Promise<ApiKey | undefined>;
  list(accountId: string): Promise<ApiKey[]>;
  find(id: string): Promise<ApiKey | undefined>;
  findWithSecretHash(id: string): Promise<{ key: ApiKey; secretHash: string } | undefined>;
  revoke(id: string, at: string): Promise<void>;
}

export interface AddressBookRepository {
  insert(book: Omit<AddressBook, 'seq'>): Promise<AddressBook>;
  update(book: AddressBook): Promise<AddressBook>;
  delete(accountId: string, id: string): Promise<void>;
  find(accountId: string, id: string): Promise<AddressBook | undefined>;
  /** By the integer id that 8x8 and Apptoto show. */
  findBySeq(accountId: string, seq: number): Promise<AddressBook | undefined>;
  findByName(accountId: string, name: string): Promise<AddressBook | undefined>;
  findDefault(accountId: string): Promise<AddressBook | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<AddressBook>>;
  /** The books of one unit, in creation order. */
  listInUnit(accountId: string, unitId: string, page: PageRequest): Promise<Page<AddressBook>>;
}

export interface UnitRepository {
  insert(unit: Omit<Unit, 'seq'>): Promise<Unit>;
  update(unit: Unit): Promise<Unit>;
  delete(accountId: string, id: string): Promise<void>;
  find(accountId: string, id: string): Promise<Unit | undefined>;
  findMany(accountId: string, ids: string[]): Promise<Unit[]>;
  findDefault(accountId: string): Promise<Unit | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<Unit>>;
  count(accountId: string): Promise<number>;
  /** How many address books the account has, in this unit or in all. */
  countBooks(accountId: string, unitId?: string): Promise<number>;
  /** Live contacts per address book, for these books (absent from the map: none). */
  liveContactCounts(accountId: string, bookIds: string[]): Promise<Map<string, number>>;
  /** Moves every address book of one unit into another. */
  moveBooks(accountId: string, fromUnitId: string, toUnitId: string): Promise<void>;
}

export interface CustomFieldRepository {
  insert(field: Omit<CustomField, 'seq'>): Promise<CustomField>;
  delete(accountId: string, key: string): Promise<void>;
  findByKey(accountId: string, key: string): Promise<CustomField | undefined>;
  /** Rewrites the definition (key and id stay). */
  update(field: CustomField): Promise<CustomField>;
  listAll(accountId: string): Promise<CustomField[]>;
}

export interface GroupRepository {
  insert(group: Omit<Group, 'seq'>): Promise<Group>;
  update(group: Group): Promise<Group>;
  delete(accountId: string, id: string): Promise<void>;
  find(accountId: string, id: string): Promise<Group | undefined>;
  findBySeq(accountId: string, seq: number): Promise<Group | undefined>;
  findMany(accountId: string, ids: string[]): Promise<Group[]>;
  findByName(accountId: string, name: string): Promise<Group | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<Group>>;
  /** Contacts whose group_ids include this group, so that their documents can be rewritten. */
  memberContactIds(accountId: string, groupId: string): Promise<string[]>;
  /** How many contacts the group holds. */
  countMembers(accountId: string, groupId: string): Promise<number>;
  /** A numbered page of the account's groups whose name contains `nameContains` (ignoring case), with the total. */
  search(accountId: string, query: { nameContains?: string }, page: { limit: number; offset: number }): Promise<{ items: Group[]; total: number }>;
}

export interface PageRequest {
  limit: number;
  /** The `seq` after which the page starts (decoded from the caller's opaque cursor). */
  afterSeq?: number;
  /** Rows to skip first, for platforms whose lists are numbered (Genesys `offset`). */
  offset?: number;
}

/** Index rows derived from a contact, written beside it in the same transaction. */
export interface ContactIndexEntries {
  addresses: { kind: AddressKind; value: string }[];
  terms: string[];
}

/** A contact with the index entries the core derives from it (`indexEntriesOf`). */
export interface IndexedContact {
  contact: Contact;
  index: ContactIndexEntries;
}

export type AddressKind = 'phone' | 'email' | 'messaging';

export interface ContactFilter {
  addressBookId?: string;
  type?: ContactType;
  status?: ContactStatus;
  phoneE164?: string;
  email?: string;
  externalId?: string;
  groupId?: string;
  /** Lower-case prefix matched against name words, emails and phone digits. */
  termPrefix?: string;
  /** Further prefixes that must each match a term too (the other words of a search such as "jane doe"). */
  moreTermPrefixes?: string[];
  updatedSince?: string;
  /** Contacts with one of these ids. */
  ids?: string[];
  /** Records merged into this contact. */
  mergedInto?: string;
  /** Each clause holds when one of its fields equals one of its values, ignoring case; clauses combine with AND. */
  textEquals?: TextEqualsClause[];
  /** Each clause holds when one of its fields, or one of the contact's phones, matches its pattern; clauses combine with AND. */
  patterns?: PatternClause[];
  /** Contacts holding one of these phones (E.164); an empty list matches nothing. */
  phoneE164In?: string[];
  /** Contacts holding at least one phone. */
  hasPhone?: boolean;
  /** Contacts holding one of these emails (any case); an empty list matches nothing. */
  emailIn?: string[];
}

export interface TextEqualsClause {
  fields: ContactTextField[];
  values: string[];
}

/** A wildcard match: `*` stands for any run of characters, case is ignored. */
export interface PatternClause {
  fields: ContactTextField[];
  pattern: string;
  /** Matched against a phone's digits with and without the country code; null: phones are not searched. */
  phoneDigits: string | null;
}

export interface ContactRepository {
  /** Inserts the contact with its index rows and group memberships; returns it with its `seq`. */
  insert(contact: Omit<Contact, 'seq'>, index: ContactIndexEntries): Promise<Contact>;
  /** Inserts many contacts at once (no rule is checked here); returns them in the same order. */
  insertMany(contacts: Omit<Contact, 'seq'>[], indexes: ContactIndexEntries[]): Promise<Contact[]>;
  /**
   * Stores `next` over `previous` (the contact as the caller read it), if its stored version is
   * still previous's; returns false when another writer got there first. Only the index rows and
   * memberships that differ between the two are written: the stored ones are those derived from
   * the stored contact, so they are known without reading them.
   */
  update(next: IndexedContact, previous: IndexedContact): Promise<boolean>;
  delete(contact: Contact): Promise<void>;
  find(accountId: string, id: string): Promise<Contact | undefined>;
  findBySeq(accountId: string, seq: number): Promise<Contact | undefined>;
  findMany(accountId: string, ids: string[]): Promise<Contact[]>;
  findByExternalId(accountId: string, externalId: string): Promise<Contact | undefined>;
  /** Active contacts holding any of these addresses, optionally within one book. */
  findByAddresses(
    accountId: string,
    addresses: { kind: AddressKind; value: string }[],
    addressBookId?: string,
  ): Promise<Contact[]>;
  /** Active contacts holding this address, most recently updated first. */
  lookup(accountId: string, kind: AddressKind, value: string, limit: number): Promise<Contact[]>;
  list(accountId: string, filter: ContactFilter, page: PageRequest): Promise<Page<Contact>>;
  countInBook(accountId: string, addressBookId: string): Promise<number>;
  /** The highest `seq` among the account's live contacts (0: none): where a run over "every contact as of now" stops. */
  lastSeq(accountId: string): Promise<number>;
  /** How many contacts `list` would return with this filter over all pages. */
  count(accountId: string, filter: ContactFilter): Promise<number>;
  /** The longest phone, email and messaging lists among the contacts `list` would return (one aggregate query). */
  shapeOf(accountId: string, filter: ContactFilter): Promise<ListShape>;
}


/**
 * Batch jobs and their per-item results. Claims are conditional updates, so that of several
 * nodes racing for one job exactly one runs it, and progress is recorded only by its owner.
 */
export interface BatchJobRepository {
  insert(job: Omit<BatchJob, 'seq'>): Promise<BatchJob>;
  find(accountId: string, id: string): Promise<BatchJob | undefined>;
  list(accountId: string, query: { kind?: BatchKind }, page: { limit: number; offset: number }): Promise<{ items: BatchJob[]; total: number }>;
  results(jobId: string): Promise<BatchItemResult[]>;
  /** Unfinished jobs (queued or in progress) whose owner has not shown a sign of life since `staleBefore`. */
  findStale(staleBefore: string, limit: number): Promise<BatchJob[]>;
  /** Takes the job over if its heartbeat is still `seenHeartbeat`; false when another node got there first. */
  claim(id: string, owner: string, seenHeartbeat: string | null, now: string): Promise<boolean>;
  /** Adds a chunk's results and counters if `owner` still holds the job; false when it lost it. */
  recordProgress(id: string, owner: string, progress: BatchProgress, now: string): Promise<boolean>;
  /** Marks the job failed (the job itself, not an item, could not run), if it is still unfinished. */
  fail(id: string, owner: string, error: string, now: string): Promise<void>;
  /** Marks the account's job stopped if it is unfinished; false when it was not (already final, or not there). */
  stop(accountId: string, id: string, now: string): Promise<boolean>;
  /** Ends as `timeout` (with `error`) every unfinished job whose last item result is older than `progressedBefore`; returns how many. */
  timeOutIdle(progressedBefore: string, now: string, error: string): Promise<number>;
}

/**
 * The change journal. `record` keeps a change with the current transaction; the store writes the
 * transaction's changes as its last step and gives them their positions. Positions only grow: a
 * feed read never meets a position lower than one it has already been given
 * (docs/architecture.md says how each engine makes sure).
 */
export interface ChangeRepository {
  /** Inside a transaction only; a savepoint rolled back drops the changes recorded in it. */
  record(actor: ChangeActor, draft: ChangeDraft): void;
  /**
   * The account's feed after `afterPosition`, oldest first; `types` keeps only those types. `end`:
   * a position up to which the feed is final (no change at or below it can still appear).
   */
  /** Outside a transaction: on PostgreSQL it holds the account's writers back while it reads. */
  readFeed(accountId: string, afterPosition: number, limit: number, types?: readonly ChangeType[]): Promise<{ changes: Change[]; end: number }>;
  /** One object's changes, newest first, before `beforePosition` when given. */
  historyOf(accountId: string, objectId: string, limit: number, beforePosition?: number): Promise<Change[]>;
  /** The object's latest change of this type. */
  latestOf(accountId: string, objectId: string, type: ChangeType): Promise<Change | undefined>;
  /** The position of the account's last change made before this time (0: none): a replay sends what comes after it. */
  positionBefore(accountId: string, at: string): Promise<number>;
  /** A position up to which the account's feed is final (0: none yet): a new reader starts there to see only what comes next. */
  lastPosition(accountId: string): Promise<number>;
  /** Erases the personal data of an object's changes (fields, snapshot, meta); actions, actors and times stay. */
  scrub(accountId: string, objectId: string): Promise<void>;
}

/** Deleted contacts, kept whole until restored or purged; nothing but these methods sees them. */
export interface TombstoneRepository {
  /** Moves the contact out of the live table (its index rows go with it). */
  bury(contact: Contact, deletedAt: string): Promise<void>;
  find(accountId: string, id: string): Promise<{ contact: Contact; deletedAt: string } | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<Contact & { deleted_at: string }>>;
  /** Puts the contact back among the live ones under its own seq, with its index rows. */
  raise(contact: Contact, index: ContactIndexEntries): Promise<void>;
  remove(accountId: string, id: string): Promise<void>;
  /** Tombstones deleted before `deletedBefore`, oldest first. */
  expired(deletedBefore: string, limit: number): Promise<{ accountId: string; id: string }[]>;
}

/**
 * Webhook endpoints, their delivery state and attempts. A node delivers to an endpoint only while
 * it holds the endpoint's lease; every write of delivery state is conditional on holding it.
 */
export interface WebhookRepository {
  insert(webhook: Omit<WebhookRecord, 'seq'>): Promise<WebhookRecord>;
  find(accountId: string, id: string): Promise<WebhookRecord | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<WebhookRecord>>;
  /** Rewrites the settings and secrets; `state` too when given (re-enabling starts failures afresh). */
  update(webhook: Webhook & WebhookSecrets, state?: Partial<DeliveryState>): Promise<void>;
  /** Removes the endpoint and its attempts. */
  delete(accountId: string, id: string): Promise<void>;
  /** Whether any endpoint of any account is enabled: with none, a write need not wake the worker. */
  anyEnabled(): Promise<boolean>;
  /** Moves the cursor back to `position` (never forward), for a replay, and makes the endpoint due now. */
  rewind(accountId: string, id: string, position: number): Promise<void>;
  /**
   * Leases up to `limit` enabled endpoints that are due (no attempt waiting) and behind their
   * account's feed, whose lease is free or expired, to `owner` until `leaseUntil`.
   */
  claimDue(owner: string, now: string, leaseUntil: string, limit: number): Promise<WebhookRecord[]>;
  /** Extends the lease if `owner` still holds it; false when it was lost. */
  renewLease(id: string, owner: string, now: string, leaseUntil: string): Promise<boolean>;
  /**
   * Sets the delivery state (and settings, when the endpoint is disabled) if `owner` still holds
   * the lease, extending it to `leaseUntil` when given; false when the lease was lost.
   */
  saveState(id: string, owner: string, now: string, state: DeliveryState, disable?: { reason: string }, leaseUntil?: string): Promise<boolean>;
  /** Frees the lease if `owner` holds it. */
  release(id: string, owner: string): Promise<void>;
  recordDelivery(accountId: string, delivery: Omit<WebhookDelivery, 'seq'>): Promise<void>;
  /** The endpoint's attempts, newest first, before the seq in `page.afterSeq` when given. */
  deliveries(accountId: string, webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
}

export type DuplicateReason = 'phone' | 'email' | 'name_company';

/** Where a page of pairs of one reason starts: after this value (one part, or name and company) and pair of seqs. */
export interface DuplicateAfter {
  value: string[];
  aSeq: number;
  bSeq: number;
}

export interface StoredDuplicatePair extends DuplicateAfter {
  aId: string;
  bId: string;
}

/** Candidate duplicates: pairs of live contacts sharing a phone, an email, or a name and company. */
export interface DuplicateRepository {
  /** Up to `limit` pairs of this reason after `after`, in (value, aSeq, bSeq) order, aSeq < bSeq; within one book when given. */
  pairs(accountId: string, reason: DuplicateReason, after: DuplicateAfter | undefined, limit: number, addressBookId?: string): Promise<StoredDuplicatePair[]>;
}

/** CardDAV clients' names, UIDs and unmodeled properties, one row per contact that has any (core/cards). */
export interface CardRepository {
  /** Inserts or replaces the contact's row. */
  save(card: CardRecord): Promise<void>;
  find(accountId: string, contactId: string): Promise<CardRecord | undefined>;
  findMany(accountId: string, contactIds: string[]): Promise<CardRecord[]>;
  findByName(accountId: string, name: string): Promise<CardRecord | undefined>;
  /** The contacts whose cards carry these names, and those whose ids are among `idNames`, with their cards. */
  findEntriesByNames(accountId: string, names: string[], idNames: string[]): Promise<NamedCardEntry[]>;
  findByUid(accountId: string, uid: string): Promise<CardRecord[]>;
  remove(accountId: string, contactId: string): Promise<void>;
}

/**
 * Import jobs, their stored files and their refused rows. Like batch jobs, a job is run by the
 * node holding it (`owner`, kept alive by `heartbeat_at`); every write of progress is conditional
 * on still holding it and on the job being unfinished.
 */
export interface ImportJobRepository {
  /** Stores one piece of an upload, numbered from 0, outside any transaction (the upload streams in). */
  putFileChunk(jobId: string, n: number, bytes: Uint8Array): Promise<void>;
  /** The upload's n-th piece; undefined past its end. */
  fileChunk(jobId: string, n: number): Promise<Uint8Array | undefined>;
  /** Removes an upload that never became a job (refused, too large, cut off). */
  deleteFile(jobId: string): Promise<void>;
  insert(job: Omit<ImportJob, 'seq'>): Promise<ImportJob>;
  find(accountId: string, id: string): Promise<ImportJob | undefined>;
  /** The account's jobs, newest first; `afterSeq` continues after the last one seen. */
  list(accountId: string, page: PageRequest): Promise<Page<ImportJob>>;
  /**
   * Takes up to `limit` unfinished jobs whose owner showed no sign of life since `staleBefore`
   * as `owner`; PostgreSQL skips
   * rows another node is claiming at that instant.
   */
  claimStale(owner: string, now: string, staleBefore: string, limit: number): Promise<ImportJob[]>;
  /** Shows the owner alive; false when the job was taken over or finished meanwhile. */
  renew(id: string, owner: string, now: string): Promise<boolean>;
  /** The job is running: status, start time (kept on a resume) and whether its fields are defined. */
  markRunning(id: string, owner: string, now: string, definedFields: boolean): Promise<boolean>;
  setTotal(id: string, total: number): Promise<void>;
  /** Adds a chunk's counts and errors and moves the resume point, if `owner` still holds the unfinished job. */
  recordChunk(id: string, owner: string, progress: ImportChunkProgress): Promise<boolean>;
  fail(id: string, owner: string, error: string, now: string): Promise<void>;
  /** Ends the account's unfinished job as cancelled; false when it was not unfinished (or not there). */
  cancel(accountId: string, id: string, now: string): Promise<boolean>;
  /** The job's problems in file order, after the seq `afterSeq`. */
  errors(jobId: string, page: PageRequest): Promise<Page<ImportErrorRecord>>;
}
