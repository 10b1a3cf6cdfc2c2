import type { Change, ChangeType } from '../journal/change.types.ts';
import { CHANGE_ACTIONS } from '../journal/change.types.ts';
import type { Store } from '../ports.ts';
import type { CardEntry } from './card.types.ts';
import { resourceNameOf } from './card.types.ts';
import { withCards } from './card-reads.ts';

const CONTACT_CHANGES: readonly ChangeType[] = CHANGE_ACTIONS.map((a) => `contact.${a}` as const);
const FEED_PAGE = 500;

/** A book's changes after a position: cards changed (as they are now) and names removed. */
export interface CardChanges {
  changed: CardEntry[];
  removed: string[];
  /** Where the next sync starts. */
  position: number;
  /** True when `limit` cut the answer short: more changes follow `position`. */
  truncated: boolean;
  /** The journal's final end when it was read: a position after it was never handed out. */
  end: number;
}

/**
 * The book's changes after `after`, read from the account's journal: the cost follows the number
 * of changes since then, not the size of the book. A contact changed there is reported as it is
 * now: a member of the book (changed), or no longer one (removed: deleted, merged away, deactivated,
 * moved to another book). With `limit`, at most that many contacts are reported, and `position`
 * stops before the first change left out.
 */
export async function changesSince(store: Store, accountId: string, bookId: string, after: number, limit?: number): Promise<CardChanges> {
  const touched = new Set<string>();
  let position = after;
  let truncated = false;
  let firstEnd: number | undefined;
  read: for (;;) {
    const { changes, end } = await store.changes.readFeed(accountId, position, FEED_PAGE, CONTACT_CHANGES);
    firstEnd ??= end;
    for (const change of changes) {
      if (touchesBook(change, bookId) && !touched.has(change.object_id)) {
        if (limit !== undefined && touched.size >= limit) {
          truncated = true;
          break read;
        }
        touched.add(change.object_id);
      }
      position = change.position;
    }
    if (changes.length < FEED_PAGE) {
      // A short page covered the feed up to its final end: start the next sync there.
      position = Math.max(position, end);
      break;
    }
  }
  const ids = [...touched];
  const live = ids.length === 0 ? [] : await store.contacts.findMany(accountId, ids);
  const members = live.filter((c) => c.status === 'active' && c.address_book_id === bookId);
  const changed = await withCards(store, accountId, members);
  const gone = ids.filter((id) => !members.some((m) => m.id === id));
  const cards = new Map((gone.length === 0 ? [] : await store.cards.findMany(accountId, gone)).map((c) => [c.contactId, c]));
  return { changed, removed: gone.map((id) => resourceNameOf(id, cards.get(id))), position, truncated, end: firstEnd! };
}

/**
 * Whether a change may concern the book: the contact was in it before or after. A purged
 * contact's changes hold no data any more (which book is unknown): it is reported removed, which
 * a client that never held it ignores.
 */
function touchesBook(change: Change, bookId: string): boolean {
  if (change.snapshot === null) return true;
  if (change.snapshot.address_book_id === bookId) return true;
  const moved = change.fields?.address_book_id;
  return moved !== undefined && (moved.before === bookId || moved.after === bookId);
}
