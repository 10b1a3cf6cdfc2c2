import { post } from './api.ts';

/** `POST /v1/contacts/bulk` as the contacts page uses it: a whole run, its answers added up. */

export type BulkAction = 'add_to_group' | 'remove_from_group' | 'block' | 'delete';

/** The list filters that select a set (those the page offers); empty ones are left out. */
export interface SetFilter {
  q: string;
  address_book_id: string;
  group_id: string;
  type: string;
}

interface BulkAnswer {
  matched: number;
  changed: number;
  failed: number;
  errors: { contact_id: string; error: { detail: string } }[];
  next_cursor: string | null;
}

export interface BulkTotals {
  matched: number;
  changed: number;
  failed: number;
  /** The first failure's reason, to show. */
  firstError: string | null;
}

/** The API's most ids a request (a larger selection goes in several). */
const IDS_PER_REQUEST = 1000;
/** Contacts of a filter per request: the page shows progress after each (the API would take 10,000). */
const FILTER_PER_REQUEST = 1000;

/**
 * Runs the action on the selected ids, or on every contact matching the filter: then the server
 * pages the set, and each answer's next_cursor is sent back until the run is done.
 */
export async function runBulk(action: BulkAction, groupId: string | undefined, target: { ids: string[] } | { filter: SetFilter }, onProgress: (totals: BulkTotals) => void): Promise<BulkTotals> {
  const totals: BulkTotals = { matched: 0, changed: 0, failed: 0, firstError: null };
  const send = async (body: Record<string, unknown>) => {
    const answer = await post<BulkAnswer>('/v1/contacts/bulk', { action, ...(groupId ? { group_id: groupId } : {}), ...body });
    totals.matched += answer.matched;
    totals.changed += answer.changed;
    totals.failed += answer.failed;
    totals.firstError ??= answer.errors[0]?.error.detail ?? null;
    onProgress({ ...totals });
    return answer;
  };
  if ('ids' in target) {
    for (let start = 0; start < target.ids.length; start += IDS_PER_REQUEST) await send({ ids: target.ids.slice(start, start + IDS_PER_REQUEST) });
    return totals;
  }
  const filter = Object.fromEntries(Object.entries(target.filter).filter(([, value]) => value !== ''));
  let cursor: string | null = null;
  do cursor = (await send({ filter, limit: FILTER_PER_REQUEST, ...(cursor ? { cursor } : {}) })).next_cursor;
  while (cursor);
  return totals;
}

/** One sentence for the page's notice. */
export function summaryOf(label: string, totals: BulkTotals): string {
  const unchanged = totals.matched - totals.changed - totals.failed;
  let text = `${label}: ${totals.matched} contacts.`;
  if (unchanged > 0) text = `${label}: ${totals.changed} of ${totals.matched} contacts changed (${unchanged} already were).`;
  if (totals.failed > 0) text = `${label}: ${totals.changed} of ${totals.matched} contacts changed, ${totals.failed} failed${totals.firstError ? ` (${totals.firstError})` : ''}.`;
  return text;
}
