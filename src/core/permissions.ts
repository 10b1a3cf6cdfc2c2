import { DomainError } from './errors.ts';
import type { Principal } from './types.ts';

/** Directory entries (agents and queues) belong to administrators: only admin keys write them. */
export function assertMayWriteType(actor: Principal, type: string): void {
  if (type !== 'custom' && !actor.scopes.includes('admin')) {
    throw new DomainError('forbidden', `only an admin key may create or change ${type} entries`);
  }
}
