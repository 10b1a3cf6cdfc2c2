import { checkContactCreate } from '../../formats/contact-create-check.ts';
import type { DomainError, ErrorCode } from '../errors.ts';
import type { ImportContactInput, ImportRow, RowError } from './import.types.ts';

/**
 * Where each input path came from, looked up from the most specific: `phone_numbers[1].e164`
 * falls back to `phone_numbers[1]`, then to `phone_numbers`.
 */
export function columnLookup(paths: Map<string, string>): (path: string) => string | null {
  return (path) => {
    let p = path;
    for (;;) {
      const column = paths.get(p);
      if (column !== undefined) return column;
      const shorter = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (shorter === p || shorter === '') return null;
      p = shorter;
    }
  };
}

/**
 * The create body's schema checked on a mapped record: what the API would refuse (a name over 100
 * characters, a bad contact type) is refused here, with the column it came from.
 */
export function schemaErrorsOf(row: number, input: ImportContactInput, columnOf: (path: string) => string | null): RowError[] {
  const { group_names: groupNames, ...body } = input;
  const errors: RowError[] = checkContactCreate(body).map((e) => ({ row, column: columnOf(e.path), code: 'invalid_value', message: `${e.path} ${e.message}` }));
  for (const name of groupNames ?? []) {
    if (name.length > 100) errors.push({ row, column: columnOf('group_names'), code: 'invalid_value', message: `group name "${name.slice(0, 40)}…" is longer than 100 characters` });
  }
  return errors;
}

/** Where a refusal without field errors points: the external id, or the first phone, email or handle a duplicate may share. */
const COLUMN_PATHS_OF: Partial<Record<ErrorCode, string[]>> = {
  duplicate_external_id: ['external_id'],
  duplicate_contact: ['phone_numbers[0]', 'emails[0]', 'messaging[0]'],
  ambiguous_match: ['phone_numbers[0]', 'emails[0]', 'messaging[0]'],
};

/** A core refusal placed on the row: each field error at the column its path came from. */
export function rowErrorsOf(row: ImportRow, error: DomainError): RowError[] {
  if (error.fieldErrors.length === 0) {
    const column = (COLUMN_PATHS_OF[error.code] ?? []).map((path) => row.columnOf(path)).find((c) => c !== null) ?? null;
    return [{ row: row.row, column, code: error.code, message: error.detail }];
  }
  return error.fieldErrors.map((f) => ({ row: row.row, column: row.columnOf(f.path), code: error.code, message: `${f.path}: ${f.message}` }));
}
