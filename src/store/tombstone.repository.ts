import type { Kysely } from 'kysely';
import type { ContactIndexEntries, PageRequest, TombstoneRepository } from '../core/ports.ts';
import type { Contact, Page } from '../core/types.ts';
import { writeIndexRows } from './contact.index.ts';
import { fromRow, pageOf, toRow } from './contact.rows.ts';
import type { Database } from './tables.ts';

/**
 * Deleted contacts live in their own table: every read of the live one (lookups, lists, the
 * platforms' reads, duplicate rules) stays blind to them without a condition to forget.
 */
export class KyselyTombstoneRepository implements TombstoneRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async bury(contact: Contact, deletedAt: string): Promise<void> {
    await this.db.insertInto('contact_tombstones').values({ seq: contact.seq, ...toRow(contact), deleted_at: deletedAt }).execute();
    // The index rows and group memberships go with the row (foreign keys cascade).
    await this.db.deleteFrom('contacts').where('seq', '=', contact.seq).execute();
  }

  async find(accountId: string, id: string): Promise<{ contact: Contact; deletedAt: string } | undefined> {
    const row = await this.db.selectFrom('contact_tombstones').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) return undefined;
    const { deleted_at, ...contact } = row;
    return { contact: fromRow(contact), deletedAt: deleted_at };
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Contact & { deleted_at: string }>> {
    let query = this.db.selectFrom('contact_tombstones').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    const rows = await query.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(
      rows.map(({ deleted_at, ...contact }) => ({ ...fromRow(contact), deleted_at })),
      page.limit,
    );
  }

  async raise(contact: Contact, index: ContactIndexEntries): Promise<void> {
    await this.db.deleteFrom('contact_tombstones').where('seq', '=', contact.seq).execute();
    await this.db.insertInto('contacts').values({ seq: contact.seq, ...toRow(contact) }).execute();
    await writeIndexRows(this.db, [contact], [index]);
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('contact_tombstones').where('account_id', '=', accountId).where('id', '=', id).execute();
  }

  async expired(deletedBefore: string, limit: number): Promise<{ accountId: string; id: string }[]> {
    const rows = await this.db.selectFrom('contact_tombstones').select(['account_id', 'id']).where('deleted_at', '<', deletedBefore).orderBy('deleted_at').limit(limit).execute();
    return rows.map((r) => ({ accountId: r.account_id, id: r.id }));
  }
}
