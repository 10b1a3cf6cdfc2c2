import { buildContactState, type ContactState } from '../contacts/contact-state.ts';
import { DomainError } from '../errors.ts';
import { fieldTypesOf } from './field-types.ts';
import { rowErrorsOf } from './row-check.ts';
import type { ImportPlan, ImportReadContext, ImportRow, RowError } from './import.types.ts';

/** A preview row's contact: the state the core would store (without ids), its groups by name. */
export type PreviewContact = Omit<ContactState, 'address_book_id' | 'group_ids'> & { group_ids?: string[]; group_names?: string[] };

/**
 * A row as it would be stored: the core's own state (phones in E.164, the display name made,
 * custom values typed, the fields the import would define included), so that the preview shows
 * what the job writes and refuses what its write would refuse. Rows refused while mapping stay
 * as mapped.
 */
export function storedRowOf(row: ImportRow, plan: ImportPlan, ctx: ImportReadContext): { contact: PreviewContact | ImportRow['input']; errors: RowError[] } {
  if (row.input === null || row.errors.length > 0) return { contact: row.input, errors: row.errors };
  const { group_names: groupNames, address_book_id: _book, ...input } = row.input;
  try {
    const { address_book_id: _placeholder, group_ids: groupIds, ...state } = buildContactState({ ...input, address_book_id: '' }, { region: ctx.defaultRegion, customFields: fieldTypesOf(ctx, plan) });
    return {
      contact: { ...state, ...(groupIds.length > 0 ? { group_ids: groupIds } : {}), ...(groupNames && groupNames.length > 0 ? { group_names: groupNames } : {}) },
      errors: [],
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { contact: row.input, errors: rowErrorsOf(row, error) };
  }
}
