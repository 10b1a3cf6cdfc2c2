import { decodeCursor, encodeCursor } from '../cursor.ts';
import { DomainError, invalidField } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { Page, Principal } from '../types.ts';
import { CHANGE_ACTIONS, OBJECT_TYPES, type Change, type ChangeType } from './change.types.ts';

/** Every change type there is, for validating filters. */
export const CHANGE_TYPES: readonly ChangeType[] = OBJECT_TYPES.flatMap((o) => CHANGE_ACTIONS.map((a) => `${o}.${a}` as ChangeType));
const CONTACT_TYPES = CHANGE_TYPES.filter((t) => t.startsWith('contact.'));

/** A page of the feed: `next_cursor` always points past what this page covered, so a poller just follows it. */
export interface FeedPage {
  items: Change[];
  nextCursor: string;
  hasMore: boolean;
}

/** Reading the journal: one contact's history, and the account's feed in commit order. */
export class JournalService {
  constructor(private readonly store: Store) {}

  /** The contact's changes, newest first; it may be deleted, merged or purged, but must have existed. */
  async history(actor: Principal, contactId: string, limit: number, cursor?: string): Promise<Page<Change>> {
    const before = decodeCursor(cursor);
    const rows = await this.store.changes.historyOf(actor.accountId, contactId, limit + 1, before);
    const contactRows = rows.filter((c) => c.object_type === 'contact');
    // A contact written before the journal existed has no changes yet, but is there.
    if (contactRows.length === 0 && before === undefined && !(await this.exists(actor.accountId, contactId))) {
      throw new DomainError('contact_not_found', `no contact with id ${contactId}`);
    }
    const more = contactRows.length > limit;
    const items = more ? contactRows.slice(0, limit) : contactRows;
    return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.position) : null };
  }

  private async exists(accountId: string, contactId: string): Promise<boolean> {
    return (await this.store.contacts.find(accountId, contactId)) !== undefined || (await this.store.tombstones.find(accountId, contactId)) !== undefined;
  }

  /**
   * The account's changes after the cursor, oldest first. Keys without `admin` see contact
   * changes only, and asking for others is a 403.
   */
  async feed(actor: Principal, query: { after?: string; limit: number; types?: string[] }): Promise<FeedPage> {
    const after = positionOf(query.after);
    const admin = actor.scopes.includes('admin');
    let types: readonly ChangeType[] | undefined = admin ? undefined : CONTACT_TYPES;
    if (query.types !== undefined && query.types.length > 0) {
      const asked = expandTypes(query.types);
      if (!admin && asked.some((t) => !t.startsWith('contact.'))) throw new DomainError('forbidden', 'changes of address books, custom fields, groups, API keys and webhooks need the admin scope');
      types = asked;
    }
    const { changes: items, end } = await this.store.changes.readFeed(actor.accountId, after, query.limit + 1, types);
    const hasMore = items.length > query.limit;
    const page = hasMore ? items.slice(0, query.limit) : items;
    const lastSeen = page.length > 0 ? page[page.length - 1]!.position : after;
    // A short page covered everything up to the feed's final end: a filtered reader moves past
    // changes it does not want instead of reading them again on every poll.
    const next = hasMore ? lastSeen : Math.max(lastSeen, end);
    return { items: page, nextCursor: encodeCursor(next), hasMore };
  }
}

/** A feed cursor, or a plain position (`after=0`: from the start). */
function positionOf(after: string | undefined): number {
  if (after === undefined || after === '') return 0;
  if (/^\d{1,15}$/.test(after)) return Number(after);
  return decodeCursor(after)!;
}

/** `contact.created,address_book.*`: each type checked, wildcards expanded. */
function expandTypes(types: string[]): ChangeType[] {
  const expanded = new Set<ChangeType>();
  for (const raw of types.flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '')) {
    const matching = raw.endsWith('.*') ? CHANGE_TYPES.filter((t) => t.startsWith(raw.slice(0, -1))) : CHANGE_TYPES.filter((t) => t === raw);
    if (matching.length === 0) throw invalidField('types', `unknown change type "${raw}"; types look like contact.created or address_book.*`);
    for (const t of matching) expanded.add(t);
  }
  return [...expanded];
}
