import type { ContactState } from './contact-state.ts';
import { invalidField } from '../errors.ts';
import { CONTACT_TEXT_FIELDS, type ContactText } from '../types.ts';

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

/** Text fields a survivor may take from a source; external_id stays with the record that holds it. */
const TAKEABLE_TEXT = new Set<string>(CONTACT_TEXT_FIELDS.filter((f) => f !== 'external_id'));

/** Refuses a name that is neither such a text field nor `custom_fields.<key>`. */
export function assertMergeableFields(fields: string[]): void {
  fields.forEach((field, i) => {
    if (!TAKEABLE_TEXT.has(field) && !/^custom_fields\.[^.]+$/.test(field)) {
      throw invalidField(`fields_from_source[${i}]`, `"${field}" is not a field a merge can take from a source: a text field but external_id, or custom_fields.<key>`);
    }
  });
}

/**
 * The merged state with each named field's value taken from the sources: from the first, in the
 * order given, that holds one; when none does, the field is emptied (the person chose the
 * source's empty value).
 */
export function takeFromSources(merged: ContactState, sources: ContactState[], fields: string[]): ContactState {
  if (fields.length === 0) return merged;
  const taken: ContactState = { ...merged, custom_fields: { ...merged.custom_fields } };
  for (const field of fields) {
    if (field.startsWith('custom_fields.')) {
      const key = field.slice('custom_fields.'.length);
      const holder = sources.find((s) => s.custom_fields[key] !== undefined && s.custom_fields[key] !== null);
      if (holder) taken.custom_fields[key] = holder.custom_fields[key]!;
      else delete taken.custom_fields[key];
    } else {
      const text = field as keyof ContactText;
      taken[text] = sources.find((s) => s[text] !== null)?.[text] ?? null;
    }
  }
  return taken;
}
