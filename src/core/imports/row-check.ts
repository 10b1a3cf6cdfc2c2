import { checkContactCreate } from '../../formats/contact-create-check.ts';
import type { ImportContactInput, RowError } from './import.types.ts';

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
