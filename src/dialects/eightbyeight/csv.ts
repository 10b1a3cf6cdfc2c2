import { CsvError, parse } from 'csv-parse/sync';
import { invalidField } from '../../core/errors.ts';
import { MAX_ROWS, tooManyRows, type UploadRecord } from './upload-rows.ts';

/** The rows of a CSV upload as records by column name; `columns` is given when the file has no header. */
export function csvRecords(file: Buffer, columns: string[] | undefined): UploadRecord[] {
  let rows: UploadRecord[];
  try {
    rows = parse(file, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, columns: columns ?? true, to: MAX_ROWS + 1 }) as UploadRecord[];
  } catch (error) {
    // Every parse error, INVALID_OPENING_QUOTE too (the one code without the CSV_ prefix: a 500 before).
    if (error instanceof CsvError) throw invalidField('file', `is not a readable CSV file (${(error as Error).message.split('\n')[0]})`);
    throw error;
  }
  if (rows.length > MAX_ROWS) throw tooManyRows();
  return rows;
}
