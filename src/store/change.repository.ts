import { sql, type Kysely } from 'kysely';
import type { ChangeRepository } from '../core/ports.ts';
import type { Change, ChangeAction, ChangeActor, ChangeDraft, ChangeType, ObjectType, Surface } from '../core/journal/change.types.ts';
import { nowIso } from '../core/clock.ts';
import { fieldChangesOf } from '../core/journal/field-changes.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { EngineName } from './engine.ts';
import type { ChangeRow, ChangeTable, Database } from './tables.ts';

type PendingChange = Omit<ChangeTable, 'position'>;

/** A change's columns but its position, in the order the PostgreSQL insert lists them. */
const COLUMNS = ['account_id', 'type', 'object_id', 'key_id', 'surface', 'request_id', 'at', 'fields', 'snapshot', 'meta'] as const satisfies readonly (keyof PendingChange)[];

/**
 * The journal over Kysely. Changes recorded in a transaction wait here and are written by
 * `flush`, the transaction's last step, with their positions. A feed reader must never meet a
 * position lower than one it was already given, so a position may be read only once every
 * writer that took a lower one has committed or rolled back. Each engine makes sure its own way:
 *
 * - SQLite runs one write transaction at a time: positions come from a counter row per account
 *   (`change_positions`), bumped at flush, and are contiguous.
 * - PostgreSQL runs writers side by side, and a counter row would make them commit one at a time
 *   (its lock held through each commit's disk flush). Positions come from a sequence instead,
 *   taken under a shared advisory lock of the account that is held until commit. A reader takes
 *   the same lock exclusively: it waits for the writers between "took positions" and "committed",
 *   and holds back new ones for the length of its read, so every position handed out before it
 *   read is final. Positions then grow with gaps (other accounts', rolled-back writes').
 */
export class KyselyChangeRepository implements ChangeRepository {
  private pending: PendingChange[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
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
      fields: draft.fields === null ? null : typeof draft.fields === 'string' ? draft.fields : JSON.stringify(draft.fields),
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
      if (this.engine === 'postgres') await this.insertNumberedBySequence(accountId, changes);
      else await this.insertNumberedByCounter(accountId, changes);
    }
  }

  private async insertNumberedByCounter(accountId: string, changes: PendingChange[]): Promise<void> {
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

  /**
   * One statement: the shared lock first (the joined CTE is read before any row is made, and so
   * before any nextval), then the rows numbered from the sequence in their order.
   */
  private async insertNumberedBySequence(accountId: string, changes: PendingChange[]): Promise<void> {
    for (const part of chunks(changes, rowsPerStatement(COLUMNS.length))) {
      const values = sql.join(part.map((c) => sql`(${sql.join(COLUMNS.map((column) => c[column]))})`));
      await sql`with feed_lock as materialized (select pg_advisory_xact_lock_shared(${feedLockKey(accountId)}))
        insert into changes (position, ${sql.join(COLUMNS.map((column) => sql.ref(column)))})
        select nextval('change_position_seq'), v.* from feed_lock, (values ${values}) as v(${sql.join(COLUMNS.map((column) => sql.ref(column)))})`.execute(this.db);
    }
  }

  async readFeed(accountId: string, afterPosition: number, limit: number, types?: readonly ChangeType[]): Promise<{ changes: Change[]; end: number }> {
    return this.whileFinal(accountId, async (db) => {
      // The end first: every position up to it is final now, so a page read after it that comes
      // back short has covered everything up to it.
      const end = await endOfFeed(db, this.engine, accountId);
      let query = db.selectFrom('changes').selectAll().where('account_id', '=', accountId).where('position', '>', afterPosition);
      if (types !== undefined) query = query.where('type', 'in', types.length > 0 ? [...types] : ['']);
      const changes = (await query.orderBy('position').limit(limit).execute()).map(changeOf);
      return { changes, end };
    });
  }

  async lastPosition(accountId: string): Promise<number> {
    return this.whileFinal(accountId, (db) => endOfFeed(db, this.engine, accountId));
  }

  /** Runs a feed read while no writer of the account holds positions it has not committed (PostgreSQL; SQLite: always). */
  private async whileFinal<T>(accountId: string, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.engine !== 'postgres') return read(this.db);
    const locked = async (db: Kysely<Database>) => {
      await sql`select pg_advisory_xact_lock(${feedLockKey(accountId)})`.execute(db);
      return read(db);
    };
    return this.inTransaction ? locked(this.db) : this.db.transaction().execute(locked);
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
    // Walked back from the newest change (the primary key's order): as long as what a replay
    // sends anyway, and no index on `at` for every write to keep.
    const row = await this.db
      .selectFrom('changes')
      .select('position')
      .where('account_id', '=', accountId)
      .where('at', '<', at)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  async scrub(accountId: string, objectId: string): Promise<void> {
    await this.db.updateTable('changes').set({ fields: null, snapshot: null, meta: null }).where('account_id', '=', accountId).where('object_id', '=', objectId).execute();
  }
}

/** The advisory lock that orders an account's feed reads after its writers' commits (PostgreSQL). */
function feedLockKey(accountId: string) {
  return sql`hashtextextended(${`journal:${accountId}`}, 0)`;
}

/** The highest position handed out so far: final when read as `whileFinal` allows. */
async function endOfFeed(db: Kysely<Database>, engine: EngineName, accountId: string): Promise<number> {
  if (engine === 'postgres') {
    const { rows } = await sql<{ last_value: string; is_called: boolean }>`select last_value, is_called from change_position_seq`.execute(db);
    return rows[0]!.is_called ? Number(rows[0]!.last_value) : 0;
  }
  const row = await db.selectFrom('change_positions').select('position').where('account_id', '=', accountId).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** The stored fields, with a creation's or a removal's spelled out from the snapshot. */
function fieldsOf(stored: string | null, snapshot: Record<string, unknown> | null): Change['fields'] {
  if (stored === null) return null;
  if (stored === 'snapshot-added') return fieldChangesOf(null, snapshot);
  if (stored === 'snapshot-removed') return fieldChangesOf(snapshot, null);
  return JSON.parse(stored);
}

function changeOf(row: ChangeRow): Change {
  const [objectType, action] = row.type.split('.') as [ObjectType, ChangeAction];
  const snapshot = row.snapshot === null ? null : (JSON.parse(row.snapshot) as Record<string, unknown>);
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
    fields: fieldsOf(row.fields, snapshot),
    snapshot,
    meta: row.meta === null ? {} : JSON.parse(row.meta),
  };
}
