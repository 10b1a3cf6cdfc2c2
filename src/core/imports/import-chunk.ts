import { stateOf } from '../contacts/contact-state.ts';
import { lockUpserts, upsertIn, type UpsertPolicy, type UpsertRequest } from '../contacts/contact-upsert.ts';
import { WriteScope } from '../contacts/contact-writes.ts';
import { ContactService, type BatchOutcome } from '../contacts/contact.service.ts';
import { isItemFailure } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Contact, ContactInput, Principal } from '../types.ts';
import { groupsOf, writeWithGroups } from './import-groups.ts';
import type { ImportCounts } from './import-job.types.ts';
import type { ImportContactInput, ImportMode, ImportRow, RowError } from './import.types.ts';
import { rowErrorsOf } from './row-check.ts';

/**
 * Writes one chunk of mapped rows inside the caller's transaction, through the core's own
 * creates and upserts, each row succeeding or failing on its own (a refused row undoes only its
 * writes, the groups it made included). Returns what became of the rows and the problems of those refused.
 */

export type ChunkErrors = (RowError & { raw: string[] | string | null })[];
export type ChunkResult = Omit<ImportCounts, 'processed'> & { errors: ChunkErrors };

export interface ChunkContext {
  tx: Store;
  actor: Principal;
  region: string;
  mode: ImportMode;
  book: AddressBook;
  /** Group ids by name, kept across the job's chunks (cleared when a chunk is undone). */
  groups: Map<string, string>;
}

type Refuse = (row: ImportRow, errors: RowError[]) => void;
type ReadyRow = { row: ImportRow; input: ImportContactInput };

/** README "Upsert": by external id in whichever book holds it, else by phone or email in the job's book. */
const UPSERT: UpsertPolicy = { mode: 'upsert', matchByAddress: true, bookOnlyForCreate: true };

class Unchanged extends Error {}

export async function writeChunk(ctx: ChunkContext, rows: ImportRow[]): Promise<ChunkResult> {
  const result: ChunkResult = { created: 0, updated: 0, merged: 0, skipped: 0, failed: 0, errors: [] };
  const refuse: Refuse = (row, errors) => {
    result.failed++;
    errors.forEach((e, i) => result.errors.push({ ...e, raw: i === 0 ? row.raw : null }));
  };
  const ready: ReadyRow[] = [];
  for (const row of rows) {
    if (row.input === null || row.errors.length > 0) {
      refuse(row, row.errors.length > 0 ? row.errors : [{ row: row.row, column: null, code: 'malformed_record', message: 'the record could not be read' }]);
      continue;
    }
    if (unstorableText(row.input)) {
      refuse(row, [{ row: row.row, column: null, code: 'invalid_value', message: 'holds a NUL character or an unpaired UTF-16 surrogate, which no field can store' }]);
      continue;
    }
    ready.push({ row, input: row.input });
  }
  if (ctx.mode === 'create') await createRows(ctx, ready, result, refuse);
  else await upsertRows(ctx, ready, result, refuse);
  return result;
}

/**
 * Creates through the batch path (plain rows inserted together, ruled ones each in a savepoint).
 * A row that needs a new group is written alone, in file order, in one savepoint with its groups.
 */
async function createRows(ctx: ChunkContext, ready: ReadyRow[], result: ChunkResult, refuse: Refuse): Promise<void> {
  const contacts = new ContactService({ store: ctx.tx, defaultRegion: ctx.region });
  const inBook = (input: ContactInput) => ({ ...input, address_book_id: ctx.book.id });
  const count = (row: ImportRow, outcome: BatchOutcome) => {
    if ('contact' in outcome) result[outcome.outcome === 'merged' ? 'merged' : 'created']++;
    // createMany reports the database going away per item after its first part: the chunk is undone and tried again.
    else if (!isItemFailure(outcome.error)) throw outcome.error;
    else refuse(row, rowErrorsOf(row, outcome.error));
  };
  let batch: { row: ImportRow; input: ContactInput }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await contacts.createMany(ctx.actor, batch.map((b) => inBook(b.input)));
    outcomes.forEach((outcome, i) => count(batch[i]!.row, outcome));
    batch = [];
  };
  for (const { row, input } of ready) {
    const groups = await groupsOf(ctx, input);
    if (groups.missing.length === 0) {
      batch.push({ row, input: groups.input });
      continue;
    }
    await flush();
    let outcome: BatchOutcome;
    try {
      outcome = await writeWithGroups(ctx, groups, async (withIds) => {
        const [done] = await contacts.createMany(ctx.actor, [inBook(withIds)]);
        if ('error' in done!) throw done.error;
        return done!;
      });
    } catch (error) {
      outcome = { error };
    }
    count(row, outcome);
  }
  await flush();
}

/**
 * Each row in its own savepoint (its new groups with it), through the core's upsert: by external
 * id when the row has one, else the one contact of the book sharing a phone or email, else a
 * create under the book's duplicate policy. A row that would change nothing is undone and counted
 * skipped (no journal entry, no new version). The chunk's locks are taken first, in the order
 * every write takes them.
 */
async function upsertRows(ctx: ChunkContext, ready: ReadyRow[], result: ChunkResult, refuse: Refuse): Promise<void> {
  const requests = ready.map(({ input }) => requestOf(ctx, input));
  await lockUpserts(new WriteScope(ctx.tx, ctx.actor, ctx.region), requests, UPSERT);
  for (const [i, { row, input }] of ready.entries()) {
    try {
      const outcome = await writeWithGroups(ctx, await groupsOf(ctx, input), async (withIds) => {
        const { address_book_id: _book, ...fields } = withIds;
        const done = await upsertIn(new WriteScope(ctx.tx, ctx.actor, ctx.region), { ...requests[i]!, input: fields }, UPSERT);
        if (done.created) return 'created' as const;
        if (done.previous === undefined) return 'merged' as const;
        if (sameState(done.previous, done.contact)) throw new Unchanged();
        return 'updated' as const;
      });
      result[outcome]++;
    } catch (error) {
      if (error instanceof Unchanged) result.skipped++;
      else if (isItemFailure(error)) refuse(row, rowErrorsOf(row, error));
      else throw error;
    }
  }
}

/** The row as an upsert request into the job's book (its groups are added as it is written). */
function requestOf(ctx: ChunkContext, input: ImportContactInput): UpsertRequest {
  const { address_book_id: _book, group_names: _groups, ...fields } = input;
  const externalId = input.external_id?.trim() || undefined;
  return { ...(externalId === undefined ? {} : { key: { externalId } }), book: { seq: ctx.book.seq }, input: fields };
}

/** NUL, or a lone surrogate (JSON.stringify escapes exactly those as \\udXXX): PostgreSQL text cannot hold them (the HTTP edge refuses them too). */
function unstorableText(input: ImportContactInput): boolean {
  const text = JSON.stringify(input);
  return text.includes('\\u0000') || /\\ud[89a-f][0-9a-f]{2}/i.test(text);
}

/** Equal states, groups compared as a set: a file naming the same groups in another order changes nothing. */
function sameState(a: Contact, b: Contact): boolean {
  const comparable = (c: Contact) => JSON.stringify({ ...stateOf(c), group_ids: [...c.group_ids].sort() });
  return comparable(a) === comparable(b);
}
