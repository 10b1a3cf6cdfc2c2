import { stateOf } from '../contact-state.ts';
import { upsertIn } from '../contact-upsert.ts';
import { WriteScope } from '../contact-writes.ts';
import { ContactService } from '../contact.service.ts';
import { DomainError, isItemFailure } from '../errors.ts';
import { GroupService } from '../group.service.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Contact, ContactInput, Principal } from '../types.ts';
import type { ImportCounts } from './import-job.types.ts';
import type { ImportContactInput, ImportMode, ImportRow, RowError } from './import.types.ts';

/**
 * Writes one chunk of mapped rows inside the caller's transaction, through the core's own
 * creates and upserts, each row succeeding or failing on its own (a refused row undoes only its
 * writes). Returns what became of the rows and the problems of those refused.
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

class Unchanged extends Error {}

export async function writeChunk(ctx: ChunkContext, rows: ImportRow[]): Promise<ChunkResult> {
  const result: ChunkResult = { created: 0, updated: 0, merged: 0, skipped: 0, failed: 0, errors: [] };
  const refuse = (row: ImportRow, errors: RowError[]) => {
    result.failed++;
    errors.forEach((e, i) => result.errors.push({ ...e, raw: i === 0 ? row.raw : null }));
  };
  const ready: { row: ImportRow; input: ContactInput }[] = [];
  for (const row of rows) {
    if (row.input === null || row.errors.length > 0) {
      refuse(row, row.errors.length > 0 ? row.errors : [{ row: row.row, column: null, code: 'malformed_record', message: 'the record could not be read' }]);
      continue;
    }
    if (unstorableText(row.input)) {
      refuse(row, [{ row: row.row, column: null, code: 'invalid_value', message: 'holds a NUL character or an unpaired UTF-16 surrogate, which no field can store' }]);
      continue;
    }
    try {
      ready.push({ row, input: await withGroupIds(ctx, row.input) });
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      refuse(row, rowErrorsOf(row, error));
    }
  }
  if (ctx.mode === 'create') await createRows(ctx, ready, result, refuse);
  else for (const { row, input } of ready) await upsertRow(ctx, row, input, result, refuse);
  return result;
}

/** Creates through the batch path (plain rows inserted together, ruled ones each in a savepoint). */
async function createRows(ctx: ChunkContext, ready: { row: ImportRow; input: ContactInput }[], result: ChunkResult, refuse: (row: ImportRow, errors: RowError[]) => void): Promise<void> {
  const contacts = new ContactService({ store: ctx.tx, defaultRegion: ctx.region });
  const outcomes = await contacts.createMany(ctx.actor, ready.map((r) => ({ ...r.input, address_book_id: ctx.book.id })));
  outcomes.forEach((outcome, i) => {
    if ('contact' in outcome) result[outcome.outcome === 'merged' ? 'merged' : 'created']++;
    // createMany reports the database going away per item after its first part: the chunk is undone and tried again.
    else if (!isItemFailure(outcome.error)) throw outcome.error;
    else refuse(ready[i]!.row, rowErrorsOf(ready[i]!.row, outcome.error));
  });
}

/**
 * By external id when the row has one, else a create under the book's duplicate policy. A row
 * that would change nothing is undone and counted skipped (no journal entry, no new version),
 * and so is a row that a `reject` book holds already: upsert mode takes what is there as done.
 */
async function upsertRow(ctx: ChunkContext, row: ImportRow, input: ContactInput, result: ChunkResult, refuse: (row: ImportRow, errors: RowError[]) => void): Promise<void> {
  const scope = new WriteScope(ctx.tx, ctx.actor, ctx.region);
  const externalId = input.external_id?.trim() || undefined;
  const { address_book_id: _book, ...fields } = input;
  try {
    const outcome = await ctx.tx.savepoint(async () => {
      const before = externalId === undefined ? undefined : await ctx.tx.contacts.findByExternalId(ctx.actor.accountId, externalId);
      const done = await upsertIn(scope, { ...(externalId === undefined ? {} : { key: { externalId } }), book: { seq: ctx.book.seq }, input: fields }, { mode: 'upsert' });
      if (done.created) return 'created' as const;
      if (before === undefined) return 'merged' as const;
      if (sameState(before, done.contact)) throw new Unchanged();
      return 'updated' as const;
    });
    result[outcome]++;
  } catch (error) {
    if (error instanceof Unchanged || (error instanceof DomainError && error.code === 'duplicate_contact')) result.skipped++;
    else if (isItemFailure(error)) refuse(row, rowErrorsOf(row, error));
    else throw error;
  }
}

/** NUL, or a lone surrogate (JSON.stringify escapes exactly those as \\udXXX): PostgreSQL text cannot hold them (the HTTP edge refuses them too). */
function unstorableText(input: ImportContactInput): boolean {
  const text = JSON.stringify(input);
  return text.includes('\\u0000') || /\\ud[89a-f][0-9a-f]{2}/i.test(text);
}

function sameState(a: Contact, b: Contact): boolean {
  return JSON.stringify(stateOf(a)) === JSON.stringify(stateOf(b));
}

/** The row's group names as ids; a missing group is made (in the chunk's transaction). */
async function withGroupIds(ctx: ChunkContext, input: ImportContactInput): Promise<ContactInput> {
  const { group_names: names, ...rest } = input;
  if (!names || names.length === 0) return rest;
  const ids = new Set(rest.group_ids ?? []);
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    let id = ctx.groups.get(name);
    if (id === undefined) {
      const found = await ctx.tx.groups.findByName(ctx.actor.accountId, name);
      id = found?.id ?? (await ctx.tx.savepoint(() => new GroupService(ctx.tx).create(ctx.actor, { name }))).id;
      ctx.groups.set(name, id);
    }
    ids.add(id);
  }
  return { ...rest, group_ids: [...ids] };
}

/** A core refusal placed on the row: each field error at the column its path came from. */
export function rowErrorsOf(row: ImportRow, error: DomainError): RowError[] {
  if (error.fieldErrors.length === 0) return [{ row: row.row, column: null, code: error.code, message: error.detail }];
  return error.fieldErrors.map((f) => ({ row: row.row, column: row.columnOf(f.path), code: error.code, message: `${f.path}: ${f.message}` }));
}
