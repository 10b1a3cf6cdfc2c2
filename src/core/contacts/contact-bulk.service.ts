import { contactSetFilterOf, type ContactSetQuery } from './contact-queries.ts';
import { buryContact } from './contact-tombstones.ts';
import { findOrThrow } from './contact-writes.ts';
import { DomainError, invalidField, isItemFailure } from '../errors.ts';
import { findOrCreateBlockList, rewriteGroupIds } from '../directory/group.service.ts';
import { assertMayWriteType } from '../permissions.ts';
import type { Store } from '../ports.ts';
import type { Principal } from '../types.ts';

export const BULK_ACTIONS = ['add_to_group', 'remove_from_group', 'block', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** One action on a set of contacts: those matching `filter`, or those named by `ids` (exactly one of the two). */
export interface BulkRequest {
  action: BulkAction;
  /** The group of `add_to_group` and `remove_from_group` (and of those only). */
  groupId?: string;
  filter?: ContactSetQuery;
  ids?: string[];
  /** With a filter: where the previous request of the run stopped (its `nextCursor`). */
  cursor?: string;
  /** With a filter: the most contacts this request takes (the run goes on with `nextCursor`). */
  limit?: number;
}

export interface BulkFailure {
  contactId: string;
  error: DomainError;
}

/** What one request did; a run of several requests adds its counts up. */
export interface BulkResult {
  action: BulkAction;
  /** Contacts the action was applied to: those of the filter this request reached, or the distinct ids given. */
  matched: number;
  /** Of those, the ones it changed (the others already were as asked, or failed). */
  changed: number;
  failed: number;
  /** The first failures (at most MAX_REPORTED_FAILURES), in the order met. */
  errors: BulkFailure[];
  /** The group written: the one given, or for `block` the account's block list (made on first use); null for `delete`. */
  groupId: string | null;
  /** With a filter: null when the run is done, else what the next request passes as `cursor`. */
  nextCursor: string | null;
}

/**
 * Contacts written per transaction: each transaction is short (the write lock, on SQLite, is
 * held for one chunk, not for the whole set), yet commits are few enough to stay quick.
 */
export const BULK_CHUNK = 200;
/** The most ids one request may name: a selection, done in a few seconds (a filter has no limit). */
export const MAX_BULK_IDS = 1000;
/** The most contacts of a filter one request takes (its `limit`'s default and maximum). */
export const MAX_BULK_LIMIT = 10_000;
/**
 * A request starts no new chunk after this long; the rest is the next request's (`nextCursor`).
 * So no answer waits on a whole large set: proxies' and sockets' idle timeouts never cut one off.
 */
export const BULK_TIME_BUDGET_MS = 10_000;
const MAX_REPORTED_FAILURES = 20;

/**
 * Bulk work on contacts through the same rules as single writes: each contact changed gets its
 * own journal entry (and so its webhook event), and one contact refused (an agent with a
 * non-admin key, one deleted meanwhile) is reported without sinking the others. Contacts are
 * written BULK_CHUNK per transaction.
 *
 * A filter's set is paged as `GET /v1/contacts` pages it, in creation order, and a large set
 * takes several requests (a run), each passing the previous one's cursor. The run covers the
 * contacts that existed when its first request started (the cursor carries that bound): those
 * created later are left out. Each request reads its pages from one snapshot taken as it starts,
 * and a contact is taken if it matches the filter in that snapshot; it is then re-read under its
 * lock and acted on as it is (if it is gone meanwhile, that is a `contact_not_found` failure).
 * Chunks already committed stay if a later one fails (the database going away answers 503):
 * every action is idempotent, so sending the same request again finishes the work.
 */
export class ContactBulkService {
  constructor(
    private readonly store: Store,
    private readonly timeBudgetMs = BULK_TIME_BUDGET_MS,
  ) {}

  async apply(actor: Principal, request: BulkRequest): Promise<BulkResult> {
    await this.check(actor, request);
    const result: BulkResult = { action: request.action, matched: 0, changed: 0, failed: 0, errors: [], groupId: request.groupId ?? null, nextCursor: null };
    const write = async (ids: string[]) => {
      result.matched += ids.length;
      await this.store.transaction((tx) => this.applyChunk(tx, actor, request.action, ids, result));
    };
    if (request.ids !== undefined) {
      const ids = [...new Set(request.ids)];
      for (let start = 0; start < ids.length; start += BULK_CHUNK) await write(ids.slice(start, start + BULK_CHUNK));
      return result;
    }
    const filter = contactSetFilterOf(request.filter!);
    const limit = request.limit ?? MAX_BULK_LIMIT;
    const startedAt = Date.now();
    const snapshot = await this.store.openSnapshot();
    try {
      const reads = snapshot.reads.contacts;
      const from = request.cursor !== undefined ? decodeBulkCursor(request.cursor) : { after: 0, until: await reads.lastSeq(actor.accountId) };
      const until = from.until;
      let after = from.after;
      // At least one chunk per request, so that a run always moves on.
      do {
        const page = await reads.list(actor.accountId, filter, { limit: Math.min(BULK_CHUNK, limit - result.matched), afterSeq: after });
        const items = page.items.filter((c) => c.seq <= until);
        if (items.length > 0) await write(items.map((c) => c.id));
        if (page.nextCursor === null || items.length < page.items.length || items.length === 0) return result;
        after = items[items.length - 1]!.seq;
      } while (result.matched < limit && Date.now() - startedAt < this.timeBudgetMs);
      result.nextCursor = encodeBulkCursor({ after, until });
      return result;
    } finally {
      await snapshot.close();
    }
  }

  private async check(actor: Principal, request: BulkRequest): Promise<void> {
    if ((request.filter === undefined) === (request.ids === undefined)) throw invalidField('filter', 'give exactly one of filter or ids');
    if (request.ids !== undefined && request.ids.length > MAX_BULK_IDS) throw invalidField('ids', `at most ${MAX_BULK_IDS} ids; use a filter for more`);
    if (request.ids !== undefined && request.cursor !== undefined) throw invalidField('cursor', 'only a filter\'s run takes a cursor');
    if (request.ids !== undefined && request.limit !== undefined) throw invalidField('limit', 'only a filter takes a limit');
    if (request.cursor !== undefined) decodeBulkCursor(request.cursor);
    const takesGroup = request.action === 'add_to_group' || request.action === 'remove_from_group';
    if (takesGroup && request.groupId === undefined) throw invalidField('group_id', `is required for ${request.action}`);
    if (!takesGroup && request.groupId !== undefined) throw invalidField('group_id', `${request.action} takes no group_id`);
    if (request.groupId !== undefined && !(await this.store.groups.find(actor.accountId, request.groupId))) {
      throw invalidField('group_id', `no group with id ${request.groupId}`);
    }
  }

  /**
   * One chunk, in its transaction. Contacts go in id order, each locked as it is reached: the
   * order in which every write that locks several contacts takes their locks. A delete takes
   * the duplicate-rule locks of their books first, as a single delete does.
   */
  private async applyChunk(tx: Store, actor: Principal, action: BulkAction, ids: string[], result: BulkResult): Promise<void> {
    let groupId = result.groupId;
    if (action === 'block') groupId = result.groupId = (await findOrCreateBlockList(tx, actor)).id;
    // Read again in each chunk, as a single add does: a group deleted during the run takes no new members.
    else if (groupId !== null && !(await tx.groups.find(actor.accountId, groupId))) throw invalidField('group_id', `no group with id ${groupId}`);
    if (action === 'delete') {
      const books = (await tx.contacts.findMany(actor.accountId, ids)).map((c) => c.address_book_id);
      for (const bookId of [...new Set(books)].sort()) await tx.lock(`duplicates:${bookId}`);
    }
    // No savepoint per contact: every refusal below comes before that contact writes anything.
    for (const id of [...ids].sort()) {
      try {
        if (await this.applyOne(tx, actor, action, groupId, id)) result.changed++;
      } catch (error) {
        if (!isItemFailure(error)) throw error;
        result.failed++;
        if (result.errors.length < MAX_REPORTED_FAILURES) result.errors.push({ contactId: id, error });
      }
    }
  }

  /** Whether the contact changed. */
  private async applyOne(tx: Store, actor: Principal, action: BulkAction, groupId: string | null, id: string): Promise<boolean> {
    if (action === 'delete') {
      await tx.lock(`contact:${id}`);
      const current = await findOrThrow(tx, actor.accountId, id);
      assertMayWriteType(actor, current.type);
      await buryContact(tx, actor, current);
      return true;
    }
    const group = groupId!;
    const change = action === 'remove_from_group' ? (ids: string[]) => ids.filter((g) => g !== group) : (ids: string[]) => (ids.includes(group) ? ids : [...ids, group]);
    return (await rewriteGroupIds(tx, actor, id, change)).changed;
  }
}

/** A run's place: after which seq the next request goes on, and the last seq of the run's set. */
interface BulkPosition {
  after: number;
  until: number;
}

function encodeBulkCursor(position: BulkPosition): string {
  return Buffer.from(JSON.stringify({ s: position.after, u: position.until })).toString('base64url');
}

function decodeBulkCursor(cursor: string): BulkPosition {
  try {
    const { s, u } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; u?: unknown };
    if (Number.isSafeInteger(s) && Number.isSafeInteger(u) && (s as number) >= 0 && (u as number) >= 0) return { after: s as number, until: u as number };
  } catch {
    // fall through to the error below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}
