import { invalidField } from '../errors.ts';
import type { ImportFormat } from './import.types.ts';

export const BY_MEDIA_TYPE: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'csv',
  // What browsers on Windows send for a .csv file when Excel is installed.
  'application/vnd.ms-excel': 'csv',
  'text/vcard': 'vcard',
  'text/x-vcard': 'vcard',
  'text/directory': 'vcard',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/jsonlines': 'ndjson',
};

/** Types that say nothing of the content: the first bytes decide. */
export const UNSPECIFIC = new Set(['application/octet-stream', 'text/plain', 'binary/octet-stream']);

/**
 * The format of an upload: its content type when that names one, else what the text starts with
 * (`BEGIN:VCARD`, `{`, anything else is CSV). Refuses a type that names another format, and a file
 * that is not text at all (a spreadsheet saved as .xlsx, a PDF).
 */
export function detectFormat(contentType: string | undefined, headText: string): ImportFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== '' && !BY_MEDIA_TYPE[mediaType] && !UNSPECIFIC.has(mediaType)) {
    throw invalidField('file', `"${mediaType}" is not an import format: send text/csv, text/vcard or application/x-ndjson`);
  }
  // Whatever the type says: a declared text/csv that holds a workbook or binary bytes is refused too.
  if (/^PK\x03\x04/.test(headText)) throw invalidField('file', 'is a zip archive (an .xlsx workbook?): save the sheet as CSV and import that');
  if (headText.slice(0, 4096).includes('\u0000')) throw invalidField('file', 'is not text: send a CSV, vCard or NDJSON file');
  if (BY_MEDIA_TYPE[mediaType]) return BY_MEDIA_TYPE[mediaType];
  const start = headText.trimStart();
  if (/^BEGIN:VCARD/i.test(start)) return 'vcard';
  if (start.startsWith('{')) return 'ndjson';
  if (start.startsWith('[')) throw invalidField('file', 'is a JSON array: send NDJSON, one contact object per line (application/x-ndjson)');
  return 'csv';
}
