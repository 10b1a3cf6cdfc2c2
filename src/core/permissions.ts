import type { ContactRequirements } from './contacts/contact-requirements.ts';
import type { DuplicateRule } from './contacts/contact-writes.ts';
import { DomainError } from './errors.ts';
import type { Contact, ContactType, Principal } from './types.ts';

/** Directory entries (agents and queues) belong to administrators: only admin keys write them. */
export function assertMayWriteType(actor: Principal, type: string): void {
  if (type !== 'custom' && !actor.scopes.includes('admin')) {
    throw new DomainError('forbidden', `only an admin key may create or change ${type} entries`);
  }
}

/**
 * A platform's own limit on which contact types its API may write, whatever the key (Genesys:
 * only `custom` contacts; its users and queues are read-only). Absent: every type, as the key allows.
 */
export interface WritePolicy {
  /** A change may not take on an address another contact of the account holds (8x8's account-wide rule). */
  accountDuplicates?: DuplicateRule;
  /** Custom values of undefined keys define them as `string` fields, in the write's transaction (8x8). */
  freeFormCustomFields?: boolean;
  writableTypes?: readonly ContactType[];
  /** Only contacts of this address book may be written (Kore.ai: a stream's contacts); any other is not found. */
  addressBookId?: string;
  /** Only live contacts may be written (Kore.ai: a deactivated contact is deleted). */
  activeOnly?: boolean;
  /** What every contact written must hold (see ContactRequirements). */
  requires?: ContactRequirements;
  /** A new display name also sets the first and last names the contact has (Genesys; see name-parts.ts). */
  renameSetsNameParts?: boolean;
}

export function assertTypeWritable(type: ContactType, policy: WritePolicy = {}): void {
  if (policy.writableTypes !== undefined && !policy.writableTypes.includes(type)) {
    throw new DomainError('forbidden', `${type} contacts are read-only here; only ${policy.writableTypes.join(', ')} contacts may be written`);
  }
}

/** The contact-level half of a WritePolicy: the book it must be in, and whether it must be live. */
export function assertContactWritable(contact: Contact, policy: WritePolicy = {}): void {
  if (policy.addressBookId !== undefined && contact.address_book_id !== policy.addressBookId) {
    throw new DomainError('contact_not_found', `no contact with id ${contact.id}`);
  }
  if (policy.activeOnly === true && contact.status !== 'active') {
    throw new DomainError('contact_not_active', `contact ${contact.id} is ${contact.status}`);
  }
}
