import { stringify } from 'csv-stringify/sync';
import type { ContactWriter, ExportContext } from '../../core/exports/export.types.ts';
import { guardFormula } from '../csv/formula-guard.ts';
import { csvColumns, csvContactOf } from './csv-layout.ts';

/** The native CSV (csv-stringify quotes what needs it; RFC 4180 line ends; formulas guarded). */
export function csvWriter(context: ExportContext): ContactWriter {
  const columns = csvColumns(context.shape, context.customFields, { groups: context.groupNames, books: context.bookNames });
  const options = { record_delimiter: 'windows' as const };
  return {
    start: () => stringify([columns.map((c) => c.header)], options),
    write: (contacts) => stringify(contacts.map((contact) => { const row = csvContactOf(contact); return columns.map((c) => guardFormula(c.cell(row))); }), options),
  };
}
