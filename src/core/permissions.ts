import type { ContactRequirements } from './contact-requirements.ts';
import { DomainError } from './errors.ts';
import type { ContactType, Principal } from './types.ts';

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
  writableTypes?: readonly ContactType[];
  /** What every contact written must hold (see ContactRequirements). */
  requires?: ContactRequirements;
}

export function assertTypeWritable(type: ContactType, policy: WritePolicy = {}): void {
  if (policy.writableTypes !== undefined && !policy.writableTypes.includes(type)) {
    throw new DomainError('forbidden', `${type} contacts are read-only here; only ${policy.writableTypes.join(', ')} contacts may be written`);
  }
}
