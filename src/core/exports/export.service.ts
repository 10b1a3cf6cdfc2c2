import { contactSetFilterOf, type ContactSetQuery } from '../contacts/contact-queries.ts';
import { DomainError } from '../errors.ts';
import type { ContactFilter, PageRequest, SnapshotReads, Store } from '../ports.ts';
import type { Contact, Page, Principal } from '../types.ts';
import type { ExportContext, WriterFactory } from './export.types.ts';

/** The list filters an export takes (those of `GET /v1/contacts` that select a set, not a single contact). */
export type ExportQuery = ContactSetQuery;

/** Contacts read per query: enough to amortize a round trip, few enough to keep memory flat. */
const PAGE_SIZE = 500;

/**
 * Exports an account's live contacts as a file's text. Everything is read from one snapshot, so
 * the file is the account as it was at one instant however long the reading takes, and writes go
 * on meanwhile. The text comes a page at a time: the caller pulls it (an HTTP response, stdout)
 * at its own pace, and stopping early (`return()` on the iterator) closes the snapshot.
 */
export class ExportService {
  constructor(private readonly store: Store) {}

  /**
   * The first chunk comes once the snapshot is open and the account's fields, groups and the
   * set's shape are read, so a failure to start (database away, unknown account) surfaces before
   * any byte is sent; the remaining chunks are one page of contacts each.
   */
  async *exportContacts(actor: Pick<Principal, 'accountId'>, query: ExportQuery, makeWriter: WriterFactory): AsyncGenerator<string, void, undefined> {
    // An account that does not exist is an error, not an empty file (the CLI names accounts by hand).
    if (!(await this.store.accounts.find(actor.accountId))) throw new DomainError('account_not_found', `no account ${actor.accountId}`);
    const snapshot = await this.store.openSnapshot();
    try {
      const reads = snapshot.reads;
      const accountId = actor.accountId;
      const filter = contactSetFilterOf(query);
      const context: ExportContext = {
        customFields: await reads.customFields.listAll(accountId),
        groupNames: namesOf(await readAll((page) => reads.groups.list(accountId, page))),
        bookNames: namesOf(await readAll((page) => reads.addressBooks.list(accountId, page))),
        shape: await reads.contacts.shapeOf(accountId, filter),
      };
      const writer = makeWriter(context);
      yield writer.start();
      yield* this.pages(reads, accountId, filter, (contacts) => writer.write(contacts));
    } finally {
      await snapshot.close();
    }
  }

  private async *pages(reads: SnapshotReads, accountId: string, filter: ContactFilter, write: (contacts: Contact[]) => string): AsyncGenerator<string, void, undefined> {
    let afterSeq: number | undefined;
    for (;;) {
      const page = await reads.contacts.list(accountId, filter, { limit: PAGE_SIZE, ...(afterSeq === undefined ? {} : { afterSeq }) });
      if (page.items.length > 0) yield write(page.items);
      if (page.nextCursor === null) return;
      afterSeq = page.items[page.items.length - 1]!.seq;
    }
  }
}

/** Every item of a paged list (groups, books: an account has few). */
async function readAll<T extends { seq: number }>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let afterSeq: number | undefined; ;) {
    const page = await list({ limit: PAGE_SIZE, ...(afterSeq === undefined ? {} : { afterSeq }) });
    all.push(...page.items);
    if (page.nextCursor === null || page.items.length === 0) return all;
    afterSeq = page.items[page.items.length - 1]!.seq;
  }
}

function namesOf(items: { id: string; name: string }[]): Map<string, string> {
  return new Map(items.map((item) => [item.id, item.name]));
}
