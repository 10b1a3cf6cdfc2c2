import { sql, type Kysely } from 'kysely';
import type { ChangeRepository } from '../core/ports.ts';
import type { Change, ChangeAction, ChangeActor, ChangeDraft, ChangeType, ObjectType, Surface } from '../core/journal/change.types.ts';
import { nowIso } from '../core/clock.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { ChangeRow, ChangeTable, Database } from './tables.ts';

type PendingChange = Omit<ChangeTable, 'position'>;

/**
 * The journal over Kysely. Changes recorded in a transaction wait here and are written by
 * `flush`, the transaction's last step: the account's counter row is bumped (its lock is then
 * held only for the commit itself, so writers of one account queue for that moment alone, and
 * each takes its positions after the previous one committed), then the changes are inserted.
 */
export class KyselyChangeRepository implements ChangeRepository {
  private pending: PendingChange[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly inTransaction: boolean,
  ) {}

  record(actor: ChangeActor, draft: ChangeDraft): void {
    if (!this.inTransaction) throw new Error('a change is recorded inside its write\'s transaction');
    this.pending.push({
      account_id: draft.accountId,
      type: `${draft.objectType}.${draft.action}`,
      object_id: draft.objectId,
      key_id: actor.keyId,
      surface: actor.surface,
      request_id: actor.requestId,
      at: nowIso(),
      fields: draft.fields === null ? null : JSON.stringify(draft.fields),
      snapshot: draft.snapshot === null ? null : JSON.stringify(draft.snapshot),
      meta: draft.meta === undefined ? null : JSON.stringify(draft.meta),
    });
  }

  /** How many changes wait: a savepoint notes it, and drops what came after if it rolls back. */
  mark(): number {
    return this.pending.length;
  }

  dropAfter(mark: number): void {
    this.pending.length = mark;
  }

  /** Writes the waiting changes with their positions; called last in the transaction. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const waiting = this.pending;
    this.pending = [];
    const byAccount = new Map<string, PendingChange[]>();
    for (const change of waiting) {
      const list = byAccount.get(change.account_id);
      if (list) list.push(change);
      else byAccount.set(change.account_id, [change]);
    }
    // Accounts in a fixed order: two transactions touching the same two accounts never wait in a cycle.
    for (const accountId of [...byAccount.keys()].sort()) {
      const changes = byAccount.get(accountId)!;
      const { position: last } = await this.db
        .insertInto('change_positions')
        .values({ account_id: accountId, position: changes.length })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ position: sql`change_positions.position + ${changes.length}` }))
        .returning('position')
        .executeTakeFirstOrThrow();
      const first = Number(last) - changes.length + 1;
      const rows = changes.map((c, i) => ({ ...c, position: first + i }));
      for (const part of chunks(rows, rowsPerStatement(11))) await this.db.insertInto('changes').values(part).execute();
    }
  }

  async listAfter(accountId: string, afterPosition: number, limit: number, types?: readonly ChangeType[]): Promise<Change[]> {
    let query = this.db.selectFrom('changes').selectAll().where('account_id', '=', accountId).where('position', '>', afterPosition);
    if (types !== undefined) query = query.where('type', 'in', types.length > 0 ? [...types] : ['']);
    return (await query.orderBy('position').limit(limit).execute()).map(changeOf);
  }

  async historyOf(accountId: string, objectId: string, limit: number, beforePosition?: number): Promise<Change[]> {
    let query = this.db.selectFrom('changes').selectAll().where('account_id', '=', accountId).where('object_id', '=', objectId);
    if (beforePosition !== undefined) query = query.where('position', '<', beforePosition);
    return (await query.orderBy('position', 'desc').limit(limit).execute()).map(changeOf);
  }

  async latestOf(accountId: string, objectId: string, type: ChangeType): Promise<Change | undefined> {
    const row = await this.db
      .selectFrom('changes')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('object_id', '=', objectId)
      .where('type', '=', type)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && changeOf(row);
  }

  async positionBefore(accountId: string, at: string): Promise<number> {
    const row = await this.db
      .selectFrom('changes')
      .select('position')
      .where('account_id', '=', accountId)
      .where('at', '>=', at)
      .orderBy('position')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.position) - 1 : await this.lastPosition(accountId);
  }

  async lastPosition(accountId: string): Promise<number> {
    const row = await this.db.selectFrom('change_positions').select('position').where('account_id', '=', accountId).executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  async scrub(accountId: string, objectId: string): Promise<void> {
    await this.db.updateTable('changes').set({ fields: null, snapshot: null, meta: null }).where('account_id', '=', accountId).where('object_id', '=', objectId).execute();
  }
}

function changeOf(row: ChangeRow): Change {
  const [objectType, action] = row.type.split('.') as [ObjectType, ChangeAction];
  return {
    account_id: row.account_id,
    position: Number(row.position),
    type: row.type as ChangeType,
    object_type: objectType,
    object_id: row.object_id,
    action,
    actor: { key_id: row.key_id, surface: row.surface as Surface },
    request_id: row.request_id,
    at: row.at,
    fields: row.fields === null ? null : JSON.parse(row.fields),
    snapshot: row.snapshot === null ? null : JSON.parse(row.snapshot),
    meta: row.meta === null ? {} : JSON.parse(row.meta),
  };
}
