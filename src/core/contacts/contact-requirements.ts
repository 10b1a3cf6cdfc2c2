import { FieldErrors } from '../errors.ts';
import type { ContactState } from './contact-state.ts';
import type { ContactInput } from '../types.ts';

/**
 * What a platform requires of every contact it writes, checked on the complete state after a
 * create or a change (Zoom: a display name, and at least one phone number or email, codes 2104
 * and 2102). Absent: nothing beyond the core's own rules.
 */
export interface ContactRequirements {
  displayName?: boolean;
  phoneOrEmail?: boolean;
}

/**
 * `given` is a create's input: the core derives a display name from the other names when none is
 * given, so a required display name is checked on what the caller sent, not only on the state.
 */
export function assertRequirements(
  state: Pick<ContactState, 'display_name' | 'phone_numbers' | 'emails'>,
  requires: ContactRequirements | undefined,
  given?: Pick<ContactInput, 'display_name'>,
): void {
  if (requires === undefined) return;
  const errors = new FieldErrors();
  const displayName = given ? given.display_name : state.display_name;
  if (requires.displayName && (displayName === null || displayName === undefined || displayName.trim() === '')) errors.add('display_name', 'is required and must not be empty');
  if (requires.phoneOrEmail && state.phone_numbers.length === 0 && state.emails.length === 0) errors.add('phone_numbers', 'a contact needs at least one phone number or email');
  errors.throwIfAny();
}
