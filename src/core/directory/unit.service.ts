import { newId, nowIso } from '../clock.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Page, Principal, Unit } from '../types.ts';

export interface UnitInput {
  name: string;
  description?: string | null;
}

export const DEFAULT_UNIT_NAME = 'Default';

/** An address book with what a directory view shows beside it: its unit and how many live contacts it holds. */
export interface BookSummary {
  book: AddressBook;
  unit: Unit;
  contactCount: number;
}

/**
 * Units: named sets of address books (Zoom's address book units). Every account has a default
 * unit, made with the account; books created without a unit go there, and the books of a deleted
 * unit move there, so no book is ever without a unit and no contact is lost with a unit.
 */
export class UnitService {
  constructor(private readonly store: Store) {}

  /** A unit's name is unique in its account: a second create of one name (even racing) is `duplicate_unit`. */
  async create(actor: Principal, input: UnitInput): Promise<Unit> {
    const now = nowIso();
    return this.store.units.insert({ id: newId(), account_id: actor.accountId, name: input.name, description: input.description ?? null, is_default: false, created_at: now, updated_at: now });
  }

  async get(actor: Principal, id: string): Promise<Unit> {
    return findUnitOrThrow(this.store, actor.accountId, id);
  }

  async list(actor: Principal, limit: number, cursor?: string): Promise<Page<Unit> & { total: number }> {
    const [page, total] = await Promise.all([this.store.units.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) }), this.store.units.count(actor.accountId)]);
    return { ...page, total };
  }

  async update(actor: Principal, id: string, patch: Partial<UnitInput>): Promise<Unit> {
    return this.store.transaction(async (tx) => {
      const unit = await findUnitOrThrow(tx, actor.accountId, id);
      return tx.units.update({
        ...unit,
        name: patch.name ?? unit.name,
        description: patch.description === undefined ? unit.description : patch.description,
        updated_at: nowIso(),
      });
    });
  }

  /** The default unit stays; the books of a deleted unit move to the default unit, contacts and all. */
  async delete(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      // The lock a book's create takes on its unit: no book lands in a unit being deleted.
      await tx.lock(`unit:${id}`);
      const unit = await findUnitOrThrow(tx, actor.accountId, id);
      if (unit.is_default) throw new DomainError('default_unit', `unit ${id} is the account's default and cannot be deleted`);
      await tx.units.moveBooks(actor.accountId, id, await unitIdFor(tx, actor.accountId, undefined));
      await tx.units.delete(actor.accountId, id);
    });
  }

  /** Address books of one unit, or of the whole account, with their units and contact counts. */
  async listBooks(actor: Principal, unitId: string | undefined, limit: number, cursor?: string): Promise<{ items: BookSummary[]; nextCursor: string | null; total: number }> {
    const { accountId } = actor;
    if (unitId !== undefined) await findUnitOrThrow(this.store, accountId, unitId);
    const request = { limit, afterSeq: decodeCursor(cursor) };
    const [page, total] = await Promise.all([
      unitId === undefined ? this.store.addressBooks.list(accountId, request) : this.store.addressBooks.listInUnit(accountId, unitId, request),
      this.store.units.countBooks(accountId, unitId),
    ]);
    return { items: await this.summarize(accountId, page.items), nextCursor: page.nextCursor, total };
  }

  async bookSummary(actor: Principal, book: AddressBook): Promise<BookSummary> {
    return (await this.summarize(actor.accountId, [book]))[0]!;
  }

  private async summarize(accountId: string, books: AddressBook[]): Promise<BookSummary[]> {
    const units = new Map((await this.store.units.findMany(accountId, [...new Set(books.map((b) => b.unit_id))])).map((u) => [u.id, u]));
    const fallback = books.some((b) => !units.has(b.unit_id)) ? await this.store.units.findDefault(accountId) : undefined;
    const counts = await this.store.units.liveContactCounts(accountId, books.map((b) => b.id));
    return books.map((book) => ({ book, unit: units.get(book.unit_id) ?? fallback!, contactCount: counts.get(book.id) ?? 0 }));
  }
}

/**
 * The unit a new book goes into: the named one (404 `unit_not_found` when the account has none of
 * that id), else the default unit. An account that somehow has none gets it here, under a lock,
 * so that racing first uses make one.
 */
export async function unitIdFor(tx: Store, accountId: string, unitId: string | undefined): Promise<string> {
  if (unitId !== undefined) {
    await tx.lock(`unit:${unitId}`);
    return (await findUnitOrThrow(tx, accountId, unitId)).id;
  }
  const found = await tx.units.findDefault(accountId);
  if (found) return found.id;
  return tx.transaction(async (inner) => {
    await inner.lock(`default-unit:${accountId}`);
    return ((await inner.units.findDefault(accountId)) ?? (await inner.units.insert(newDefaultUnit(accountId, nowIso())))).id;
  });
}

export function newDefaultUnit(accountId: string, now: string): Omit<Unit, 'seq'> {
  return { id: newId(), account_id: accountId, name: DEFAULT_UNIT_NAME, description: 'Every account has one; address books created without a unit go there.', is_default: true, created_at: now, updated_at: now };
}

async function findUnitOrThrow(store: Store, accountId: string, id: string): Promise<Unit> {
  const unit = await store.units.find(accountId, id);
  if (!unit) throw new DomainError('unit_not_found', `no unit with id ${id}`);
  return unit;
}
