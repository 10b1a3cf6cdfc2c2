import { Readable } from 'node:stream';
import { DomainError, invalidField } from '../../core/errors.ts';
import { MAX_ROWS, tooManyRows, type UploadRecord } from './upload-rows.ts';
import { inflatedSize } from './zip-size.ts';

/**
 * The rows of an Excel (.xlsx) upload, read with exceljs's streaming reader: rows arrive one at a
 * time and reading stops at the first worksheet's end (or past the row limit). The first row with
 * any value is the header unless `columns` is given; rows without any value are skipped, as CSV's
 * empty lines are. Cells become the text the CSV path would carry (see `textOf`).
 */

/** A header wider than this is no contact list (11 fields and 50 attributes fit). */
const MAX_COLUMNS = 200;
/** An Excel file may carry no more text than a CSV file under the same 30 MB upload limit. */
const MAX_TEXT = 30 * 1024 * 1024;
/**
 * Inflated, a workbook's XML may be this large: 100,000 rows of contacts are well under 100 MB of
 * sheet XML; past this, reading it would cost memory and temporary disk for nothing.
 */
const MAX_INFLATED = 256 * 1024 * 1024;

/** The local file header every zip archive, and so every .xlsx file, starts with. */
const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

export function isZip(file: Buffer): boolean {
  return file.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE);
}

export async function xlsxRecords(file: Buffer, columns: string[] | undefined): Promise<UploadRecord[]> {
  // Checked first: the reader never settles on an empty input.
  if (!isZip(file)) throw invalidField('file', 'is not an Excel (.xlsx) file');
  const size = await inflatedSize(file, MAX_INFLATED);
  if (size === 'too_large') throw invalidField('file', `is an Excel file that would inflate to more than ${MAX_INFLATED / 1024 / 1024} MB`);
  if (size === 'unreadable') throw invalidField('file', 'is not a readable Excel (.xlsx) file (a damaged zip archive)');
  // Loaded on the first Excel upload: exceljs adds about 28 MB to a node's RSS, and most nodes never see one.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let header = columns;
  const records: UploadRecord[] = [];
  let text = 0;
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        const cells = (row.values as unknown[]).slice(1).map(textOf);
        if (cells.every((c) => c === '')) continue;
        if (header === undefined) {
          if (cells.filter((c) => c !== '').length > MAX_COLUMNS) throw invalidField('file', `at most ${MAX_COLUMNS} columns`);
          header = cells;
          continue;
        }
        const record: UploadRecord = {};
        header.forEach((name, i) => {
          record[name] = cells[i] ?? '';
          text += record[name]!.length;
        });
        if (text > MAX_TEXT) throw invalidField('file', `at most ${MAX_TEXT} characters of cell text`);
        records.push(record);
        if (records.length > MAX_ROWS) throw tooManyRows();
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalidField('file', `is not a readable Excel (.xlsx) file (${(error as Error).message.split('\n')[0]})`);
  }
  if (sheets === 0) throw invalidField('file', 'is an Excel file without a worksheet');
  return records;
}

/**
 * A cell as text: numbers as JavaScript writes them (an msisdn typed as a number stays its
 * digits), dates as `YYYY-MM-DD` (with `THH:MM:SS` when they have a time; Excel keeps no time
 * zone), booleans as true/false, formulas as their result, rich text and links as their text,
 * error values (#N/A) as empty.
 */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    const cell = value as { richText?: { text?: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(cell.richText)) return cell.richText.map((run) => run.text ?? '').join('').trim();
    if ('result' in cell) return textOf(cell.result);
    if ('text' in cell) return textOf(cell.text);
  }
  return '';
}
