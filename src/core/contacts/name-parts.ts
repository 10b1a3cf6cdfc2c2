import type { Contact, ContactInput } from '../types.ts';

/**
 * A platform that knows a contact by one whole name (Genesys GWS: `name`, "the first name/last
 * name of a user") renames it by that name alone. Left as they were, the contact's first and last
 * names would contradict the new name wherever they show (Kore.ai, Zoom, 8x8, `/v1`). So a rename
 * also sets them, but only on a contact that has them: a name that was never split (a company,
 * a queue) is not split now. The first word becomes the first name and the rest the last name
 * ("Mary Ann Smith": "Mary", "Ann Smith"); a one-word name clears the last name.
 */
export function withNamePartsOfRename(current: Pick<Contact, 'first_name' | 'last_name'>, patch: ContactInput): ContactInput {
  const name = patch.display_name?.trim();
  if (!name || patch.first_name !== undefined || patch.last_name !== undefined) return patch;
  if (current.first_name === null && current.last_name === null) return patch;
  const [first, ...rest] = name.split(/\s+/);
  return { ...patch, first_name: first!, last_name: rest.length > 0 ? rest.join(' ') : null };
}
