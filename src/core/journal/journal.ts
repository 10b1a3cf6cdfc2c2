import type { Store } from '../ports.ts';
import type { Principal } from '../types.ts';
import type { ChangeAction, ChangeActor, ObjectType } from './change.types.ts';
import { fieldChangesOf } from './field-changes.ts';

/**
 * Writes record their changes through these, inside their own transaction: the store keeps them
 * with the transaction and gives them their feed positions as it commits, so that a change exists
 * exactly when its write does.
 */

/** The journal's actor for a caller, or the actor given as it is. */
export function actorOf(by: Principal | ChangeActor): ChangeActor {
  return 'accountId' in by ? { keyId: by.keyId === '' ? null : by.keyId, surface: by.surface, requestId: by.requestId ?? null } : by;
}

/** contactd's own actor, for work no caller asked for (the retention sweep, disabling a failing webhook). */
export const SYSTEM_ACTOR: ChangeActor = { keyId: null, surface: 'system', requestId: null };

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
  tx.changes.record(actorOf(by), {
    accountId: object.account_id,
    objectType,
    objectId: object.id,
    action,
    fields: before === null ? 'snapshot-added' : after === null ? 'snapshot-removed' : fieldChangesOf(before, after),
    snapshot: shown as Record<string, unknown>,
    ...(meta ? { meta } : {}),
  });
}
