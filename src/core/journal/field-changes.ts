import type { FieldChange } from './change.types.ts';

/** Bookkeeping every object has; a change to it alone is not a change of the object's content. */
const BOOKKEEPING = new Set(['seq', 'id', 'account_id', 'version', 'created_at', 'updated_at']);

/**
 * The fields whose values differ between two states of an object (compared as JSON), each with
 * its value before and after. A creation has no `before`, a deletion no `after`.
 */
export function fieldChangesOf(before: object | null, after: object | null): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (BOOKKEEPING.has(field)) continue;
    const was = b[field] ?? null;
    const is = a[field] ?? null;
    if (isEmpty(was) && isEmpty(is)) continue;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}

/** Null, an empty list and an empty map all say "nothing here". */
function isEmpty(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}
