import { CHANGE_ACTIONS, type ChangeType } from '../journal/change.types.ts';
import { FieldErrors } from '../errors.ts';

/** The event types an endpoint may subscribe to (issue 10 §5); `object.*` takes every action of the object. */
export const EVENT_TYPES = [
  'contact.created', 'contact.updated', 'contact.deleted', 'contact.restored', 'contact.merged', 'contact.unmerged', 'contact.purged',
  'address_book.*', 'custom_field.*', 'group.*', 'import.completed',
] as const;

/** What an endpoint gets when it names no types: every contact event. */
export const DEFAULT_EVENT_TYPES = ['contact.*'];

const WILDCARD_OBJECTS = ['contact', 'address_book', 'custom_field', 'group'];
const EXACT = new Set<string>(EVENT_TYPES.filter((t) => !t.endsWith('.*')));

/** Refuses (400, naming `event_types[i]`) any type outside the list; a wildcard of a listed object is allowed. */
export function assertEventTypes(types: readonly string[]): void {
  const errors = new FieldErrors();
  types.forEach((type, i) => {
    if (EXACT.has(type)) return;
    if (type.endsWith('.*') && WILDCARD_OBJECTS.includes(type.slice(0, -2))) return;
    errors.add(`event_types[${i}]`, `"${type}" is not one of ${EVENT_TYPES.join(', ')} (or contact.*)`);
  });
  if (types.length === 0) errors.add('event_types', 'names no event type; leave it out for every contact event');
  errors.throwIfAny();
}

/** What befalls the objects a wildcard names; `completed` is an import's alone. */
const OBJECT_ACTIONS = CHANGE_ACTIONS.filter((action) => action !== 'completed');

/** The journal's change types an endpoint's subscription covers (wildcards expanded). */
export function changeTypesOf(types: readonly string[]): ChangeType[] {
  const covered = new Set<ChangeType>();
  for (const type of types) {
    if (type.endsWith('.*')) for (const action of OBJECT_ACTIONS) covered.add(`${type.slice(0, -2)}.${action}` as ChangeType);
    else covered.add(type as ChangeType);
  }
  return [...covered];
}
