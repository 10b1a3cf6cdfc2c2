import type { Store } from '../ports.ts';
import type { Principal } from '../types.ts';
import type { ChangeAction, ChangeActor, ObjectType } from './change.types.ts';
import { fieldChangesOf } from './field-changes.ts';

/**
 * Writes record their changes through these, inside their own transaction: the store keeps them
 * with the transaction and gives them their feed positions as it commits, so that a change exists
 * exactly when its write does.
 */

export function actorOf(principal: Principal): ChangeActor {
  return { keyId: principal.keyId, surface: principal.surface, requestId: principal.requestId ?? null };
}

/** One object's change: its fields before and after, and the object as the write left it (or as it was, when removed). */
export function recordChange<T extends { id: string; account_id: string }>(
  tx: Store,
  by: Principal | ChangeActor,
  objectType: ObjectType,
  action: ChangeAction,
  before: T | null,
  after: T | null,
  meta?: Record<string, unknown>,
): void {
  const object = (after ?? before)!;
  // `seq` is the store's integer key (the id some dialects show), not part of the object /v1 shows;
  // it is there on some writes' objects and not others, so a snapshot would differ from a read.
  const { seq: _seq, ...shown } = object as T & { seq?: number };
  tx.changes.record('accountId' in by ? actorOf(by) : by, {
    accountId: object.account_id,
    objectType,
    objectId: object.id,
    action,
    fields: before === null ? 'snapshot-added' : after === null ? 'snapshot-removed' : fieldChangesOf(before, after),
    snapshot: shown as Record<string, unknown>,
    ...(meta ? { meta } : {}),
  });
}
