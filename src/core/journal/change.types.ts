/** The change journal's shapes: one change per object touched by a write, in the write's transaction. */

/** Where a write came from: the native API, a platform dialect, CardDAV (`dav`), the CLI, an import, or contactd itself (sweeps). */
export const SURFACES = ['native', 'zoom', 'genesys', '8x8', 'apptoto', 'koreai', 'dav', 'cli', 'import', 'system'] as const;
export type Surface = (typeof SURFACES)[number];

export const OBJECT_TYPES = ['contact', 'address_book', 'custom_field', 'group', 'api_key', 'webhook'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const CHANGE_ACTIONS = ['created', 'updated', 'deleted', 'restored', 'merged', 'unmerged', 'purged'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** `contact.created`, `address_book.deleted`, …: what the feed filters on and webhooks subscribe to. */
export type ChangeType = `${ObjectType}.${ChangeAction}`;

/** A changed field's value before and after the write (null: absent). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** Who wrote: the API key (null for the CLI and contactd's own sweeps), the surface and the request. */
export interface ChangeActor {
  keyId: string | null;
  surface: Surface;
  requestId: string | null;
}

/** What a write records; the store gives it its position, actor and time. */
export interface ChangeDraft {
  accountId: string;
  objectType: ObjectType;
  objectId: string;
  action: ChangeAction;
  /**
   * Each changed field; null once purged. A creation or a removal names every field of its
   * snapshot (`snapshot-added`, `snapshot-removed`) rather than copying them: the store keeps them
   * once, and a read spells them out.
   */
  fields: Record<string, FieldChange> | null | 'snapshot-added' | 'snapshot-removed';
  /** The object as the write left it (as it was, for a deletion); null once purged. */
  snapshot: Record<string, unknown> | null;
  /** What else the change needs to be understood or undone (a merge's sources, say). */
  meta?: Record<string, unknown>;
}

/** A stored change. `position` orders the account's feed: positions are given in commit order. */
export interface Change {
  account_id: string;
  position: number;
  type: ChangeType;
  object_type: ObjectType;
  object_id: string;
  action: ChangeAction;
  actor: { key_id: string | null; surface: Surface };
  request_id: string | null;
  at: string;
  fields: Record<string, FieldChange> | null;
  snapshot: Record<string, unknown> | null;
  meta: Record<string, unknown>;
}

export function changeTypeOf(objectType: ObjectType, action: ChangeAction): ChangeType {
  return `${objectType}.${action}`;
}
