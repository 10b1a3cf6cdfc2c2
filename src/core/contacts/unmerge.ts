import type { ContactState } from './contact-state.ts';
import type { FieldChange } from '../journal/change.types.ts';
import { CONTACT_TEXT_FIELDS } from '../types.ts';

/**
 * Takes one source's contribution back out of a survivor, from what the journal kept of the merge
 * (the survivor's fields before and after it). Pure: contact-unmerge.ts reads and writes.
 */

/** A value the survivor keeps although it came from the source, and why. */
export interface NotRestored {
  /** `phone_numbers`, `company`, `custom_fields.<key>`, … */
  field: string;
  value: unknown;
  reason: 'edited_since_merge' | 'merge_not_in_journal';
}

export interface UnmergeInput {
  /** The survivor as it is now. */
  current: ContactState;
  /** The source's record (it kept what it held when merged). */
  source: ContactState;
  /** The fields of the survivor's `merged` change that took the source in; null: no such change in the journal. */
  merge: Record<string, FieldChange> | null;
  /** The fields of each of the survivor's changes since that merge. */
  later: Record<string, FieldChange>[];
  /** The other sources still merged into the survivor: values they hold stay. */
  others: ContactState[];
}

export interface UnmergePlan {
  /** The survivor without the values that came only from the source. */
  survivor: ContactState;
  /** The external id the survivor took from the source and now gives back (absent: none). */
  externalIdBack?: string;
  notRestored: NotRestored[];
}

type ListField = 'phone_numbers' | 'emails' | 'messaging' | 'group_ids';

/** How the entries of each list are told apart (their address, or the group's id). */
const KEY_OF: Record<ListField, (entry: any) => string> = {
  phone_numbers: (p) => p.e164,
  emails: (e) => String(e.address).toLowerCase(),
  messaging: (m) => `${m.channel}:${m.handle}`,
  group_ids: (g) => g,
};

export function planUnmerge(input: UnmergeInput): UnmergePlan {
  const { current, source, others } = input;
  // Without the journal's record of the merge nothing can be told apart: the survivor keeps
  // every value it shares with the source, and says so.
  const unknown = input.merge === null;
  const merge = input.merge ?? unknownMerge(current);
  const reason = unknown ? 'merge_not_in_journal' : 'edited_since_merge';
  const survivor: ContactState = { ...current, custom_fields: { ...current.custom_fields } };
  const notRestored: NotRestored[] = [];

  for (const field of Object.keys(KEY_OF) as ListField[]) {
    const change = merge[field];
    if (!change) continue;
    const keyOf = KEY_OF[field];
    const had = new Set(listOf(change.before).map(keyOf));
    const fromSource = new Set((source[field] as unknown[]).map(keyOf));
    const heldByOthers = new Set(others.flatMap((o) => (o[field] as unknown[]).map(keyOf)));
    const taken = listOf(change.after).filter((e) => !had.has(keyOf(e)) && fromSource.has(keyOf(e)) && !heldByOthers.has(keyOf(e)));
    const drop = new Set<string>();
    for (const entry of taken) {
      const key = keyOf(entry);
      const now = (current[field] as unknown[]).find((e) => keyOf(e) === key);
      if (now === undefined) continue;
      if (unknown || !sameEntry(now, entry) || input.later.some((c) => touchesEntry(c[field], keyOf, key))) {
        notRestored.push({ field, value: now, reason });
      } else drop.add(key);
    }
    if (drop.size > 0) (survivor as any)[field] = (current[field] as unknown[]).filter((e) => !drop.has(keyOf(e)));
  }
  survivor.phone_numbers = withPrimary(survivor.phone_numbers);
  survivor.emails = withPrimary(survivor.emails);

  // A value the merge set to the source's (an empty one filled, or one the person chose to take
  // from the source) goes back to what the survivor had, unless edited since.
  const customChange = merge.custom_fields;
  if (customChange) {
    const had = (customChange.before ?? {}) as Record<string, unknown>;
    const got = (customChange.after ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(had), ...Object.keys(got)])) {
      const value = got[key];
      if (same(had[key], value) || !same(source.custom_fields[key], value)) continue;
      if (value !== undefined && others.some((o) => same(o.custom_fields[key], value))) continue;
      const edited = !same(current.custom_fields[key], value) || input.later.some((c) => touchesKey(c.custom_fields, key));
      if (unknown || edited) {
        if (key in current.custom_fields) notRestored.push({ field: `custom_fields.${key}`, value: current.custom_fields[key], reason });
      } else if (key in had) survivor.custom_fields[key] = had[key] as ContactState['custom_fields'][string];
      else delete survivor.custom_fields[key];
    }
  }

  for (const field of CONTACT_TEXT_FIELDS) {
    const change = merge[field];
    if (field === 'external_id' || !change || change.before === change.after || change.after !== source[field]) continue;
    if (change.after !== null && others.some((o) => o[field] === change.after)) continue;
    if (unknown || current[field] !== change.after || input.later.some((c) => c[field] !== undefined)) {
      if (current[field] !== null) notRestored.push({ field, value: current[field], reason });
    } else survivor[field] = change.before as string | null;
  }

  const plan: UnmergePlan = { survivor, notRestored };
  // A create merged into a contact without an external id gives it the new data's; the merged
  // record then holds none, and gets it back here.
  const external = merge.external_id;
  if (!unknown && external && external.before === null && typeof external.after === 'string' && source.external_id === null) {
    const id = external.after;
    if (current.external_id !== id) plan.externalIdBack = id;
    else if (input.later.some((c) => c.external_id !== undefined)) notRestored.push({ field: 'external_id', value: id, reason });
    else {
      survivor.external_id = null;
      plan.externalIdBack = id;
    }
  }
  return plan;
}

/** A merge the journal has no record of: as if everything the survivor holds had come from it. */
function unknownMerge(current: ContactState): Record<string, FieldChange> {
  const fields: Record<string, FieldChange> = {};
  for (const [field, value] of Object.entries(current)) fields[field] = { before: Array.isArray(value) ? [] : value !== null && typeof value === 'object' ? {} : null, after: value };
  return fields;
}

function listOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Entries compare without `is_primary`: a primary that moved because another entry came or went is no edit of this one. */
function sameEntry(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  const { is_primary: _a, ...restA } = a as Record<string, unknown>;
  const { is_primary: _b, ...restB } = b as Record<string, unknown>;
  return same(restA, restB);
}

/** Whether a change of a list added, removed or altered the entry of this key. */
function touchesEntry(change: FieldChange | undefined, keyOf: (entry: any) => string, key: string): boolean {
  if (!change) return false;
  const before = listOf(change.before).find((e) => keyOf(e) === key);
  const after = listOf(change.after).find((e) => keyOf(e) === key);
  return before === undefined || after === undefined ? before !== after : !sameEntry(before, after);
}

function touchesKey(change: FieldChange | undefined, key: string): boolean {
  if (!change) return false;
  const before = ((change.before ?? {}) as Record<string, unknown>)[key];
  const after = ((change.after ?? {}) as Record<string, unknown>)[key];
  return !same(before, after);
}

/** One primary in a non-empty list: when the primary went back to its source, the first entry takes over. */
function withPrimary<T extends { is_primary: boolean }>(items: T[]): T[] {
  if (items.length === 0 || items.some((i) => i.is_primary)) return items;
  return items.map((item, i) => (i === 0 ? { ...item, is_primary: true } : item));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
