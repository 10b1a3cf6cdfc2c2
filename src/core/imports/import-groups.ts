import { DomainError } from '../errors.ts';
import { GroupService } from '../directory/group.service.ts';
import type { Store } from '../ports.ts';
import type { ContactInput, Principal } from '../types.ts';
import type { ImportContactInput } from './import.types.ts';

/**
 * The group names of imported rows as ids. A group a row names that does not exist yet is made
 * inside that row's own savepoint, with the row's contact: a row refused afterwards takes its new
 * groups with it. A new group's id is remembered for the rows after only once its row is written,
 * so an id undone with its row is never handed to another.
 */

export interface GroupContext {
  tx: Store;
  actor: Principal;
  /** Group ids by name, kept across the job's chunks (cleared when a chunk is undone). */
  groups: Map<string, string>;
}

/** A row's input with the ids of the groups that exist, and the names still to be made. */
export interface RowGroups {
  input: ContactInput;
  missing: string[];
}

export async function groupsOf(ctx: GroupContext, input: ImportContactInput): Promise<RowGroups> {
  const { group_names: names, ...rest } = input;
  if (!names || names.length === 0) return { input: rest, missing: [] };
  const ids = new Set(rest.group_ids ?? []);
  const missing = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    let id = ctx.groups.get(name);
    if (id === undefined) {
      id = (await ctx.tx.groups.findByName(ctx.actor.accountId, name))?.id;
      if (id === undefined) {
        missing.add(name);
        continue;
      }
      // It exists apart from any row of this chunk: safe to remember at once.
      ctx.groups.set(name, id);
    }
    ids.add(id);
  }
  return { input: { ...rest, group_ids: [...ids] }, missing: [...missing] };
}

/**
 * Runs the row's `write` in one savepoint with its missing groups made first (their ids added to
 * its input); any failure undoes both. The new ids are remembered once the savepoint is released.
 */
export async function writeWithGroups<T>(ctx: GroupContext, row: RowGroups, write: (input: ContactInput) => Promise<T>): Promise<T> {
  const made = new Map<string, string>();
  const result = await ctx.tx.savepoint(async () => {
    for (const name of row.missing) made.set(name, await makeGroup(ctx, name));
    return write(made.size === 0 ? row.input : { ...row.input, group_ids: [...(row.input.group_ids ?? []), ...made.values()] });
  });
  for (const [name, id] of made) ctx.groups.set(name, id);
  return result;
}

async function makeGroup(ctx: GroupContext, name: string): Promise<string> {
  try {
    return (await ctx.tx.savepoint(() => new GroupService(ctx.tx).create(ctx.actor, { name }))).id;
  } catch (error) {
    // Another writer (an import racing this one) made it since we looked, and committed: take it.
    if (!(error instanceof DomainError && error.code === 'duplicate_group')) throw error;
    const found = await ctx.tx.groups.findByName(ctx.actor.accountId, name);
    if (!found) throw error;
    return found.id;
  }
}
