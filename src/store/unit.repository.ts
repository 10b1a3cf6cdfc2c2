import type { Kysely } from 'kysely';
import type { PageRequest, UnitRepository } from '../core/ports.ts';
import type { Page, Unit } from '../core/types.ts';
import { pageOf } from './contact.rows.ts';
import { mapUniqueViolation } from './errors.ts';
import type { Database, UnitRow } from './tables.ts';

/** Address book units; a unit's name is unique in its account (a database constraint). */
export class KyselyUnitRepository implements UnitRepository {
  constructor(private readonly db: Kysely<Database>) {}
  async insert(unit: Omit<Unit, 'seq'>): Promise<Unit> {
    const { seq } = await mapUniqueViolation(
      () => this.db.insertInto('units').values({ ...unit, is_default: unit.is_default ? 1 : 0 }).returning('seq').executeTakeFirstOrThrow(),
      'duplicate_unit',
      `a unit named "${unit.name}" already exists`,
    );
    return { ...unit, seq: Number(seq) };
  }
  async update(unit: Unit): Promise<Unit> {
    const { seq: _seq, ...values } = unit;
    await mapUniqueViolation(
      () => this.db.updateTable('units').set({ ...values, is_default: unit.is_default ? 1 : 0 }).where('id', '=', unit.id).execute(),
      'duplicate_unit',
      `a unit named "${unit.name}" already exists`,
    );
    return unit;
  }
  async delete(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('units').where('account_id', '=', accountId).where('id', '=', id).execute();
  }
  async find(accountId: string, id: string): Promise<Unit | undefined> {
    const row = await this.db.selectFrom('units').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && unitFromRow(row);
  }
  async findMany(accountId: string, ids: string[]): Promise<Unit[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('units').selectAll().where('account_id', '=', accountId).where('id', 'in', ids).execute();
    return rows.map(unitFromRow);
  }
  async findDefault(accountId: string): Promise<Unit | undefined> {
    const row = await this.db.selectFrom('units').selectAll().where('account_id', '=', accountId).where('is_default', '=', 1).executeTakeFirst();
    return row && unitFromRow(row);
  }
  async list(accountId: string, page: PageRequest): Promise<Page<Unit>> {
    let query = this.db.selectFrom('units').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    const rows = await query.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(rows.map(unitFromRow), page.limit);
  }
  async count(accountId: string): Promise<number> {
    const { count } = await this.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('count')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    return Number(count);
  }
  async countBooks(accountId: string, unitId?: string): Promise<number> {
    let query = this.db.selectFrom('address_books').select((eb) => eb.fn.countAll<number>().as('count')).where('account_id', '=', accountId);
    if (unitId !== undefined) query = query.where('unit_id', '=', unitId);
    const { count } = await query.executeTakeFirstOrThrow();
    return Number(count);
  }
  async liveContactCounts(accountId: string, bookIds: string[]): Promise<Map<string, number>> {
    if (bookIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('contacts')
      .select(['address_book_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('account_id', '=', accountId)
      .where('address_book_id', 'in', bookIds)
      .where('status', '=', 'active')
      .groupBy('address_book_id')
      .execute();
    return new Map(rows.map((r) => [r.address_book_id, Number(r.count)]));
  }
  async moveBooks(accountId: string, fromUnitId: string, toUnitId: string): Promise<void> {
    await this.db.updateTable('address_books').set({ unit_id: toUnitId }).where('account_id', '=', accountId).where('unit_id', '=', fromUnitId).execute();
  }
}

function unitFromRow(row: UnitRow): Unit {
  return { ...row, seq: Number(row.seq), is_default: row.is_default === 1 };
}
