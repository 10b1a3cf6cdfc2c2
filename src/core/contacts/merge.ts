import type { ContactState } from './contact-state.ts';
import { CONTACT_TEXT_FIELDS } from '../types.ts';

/**
 * Folds `source` into `target` so that nothing is lost: the target's values win, the source
 * fills the target's gaps, and phones, emails, handles, custom values and groups are unioned.
 */
export function mergeStates(target: ContactState, source: ContactState): ContactState {
  const merged: ContactState = { ...target };
  for (const field of CONTACT_TEXT_FIELDS) {
    // external_id is unique per account: it stays with the record that holds it.
    if (field !== 'external_id' && merged[field] === null) merged[field] = source[field];
  }
  merged.phone_numbers = [
    ...target.phone_numbers,
    ...source.phone_numbers.filter((p) => !target.phone_numbers.some((t) => t.e164 === p.e164)).map((p) => ({ ...p, is_primary: target.phone_numbers.length === 0 && p.is_primary })),
  ];
  merged.emails = [
    ...target.emails,
    ...source.emails
      .filter((e) => !target.emails.some((t) => t.address.toLowerCase() === e.address.toLowerCase()))
      .map((e) => ({ ...e, is_primary: target.emails.length === 0 && e.is_primary })),
  ];
  merged.messaging = [
    ...target.messaging,
    ...source.messaging.filter((m) => !target.messaging.some((t) => t.channel === m.channel && t.handle === m.handle)),
  ];
  merged.custom_fields = { ...source.custom_fields, ...target.custom_fields };
  merged.group_ids = [...new Set([...target.group_ids, ...source.group_ids])];
  return merged;
}
