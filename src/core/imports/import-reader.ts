import { decodeHead, detectEncoding, readHead } from '../../formats/text-decoding.ts';
import { invalidField } from '../errors.ts';
import { countCsvRows, planCsv, readCsvRows } from './csv-import.ts';
import { detectFormat } from './import-format.ts';
import { storedRowOf } from './preview-rows.ts';
import { assertReadableOptions } from './import-options.ts';
import type { ByteSource, ImportOptions, ImportPlan, ImportPreview, ImportReadContext, ImportRow } from './import.types.ts';
import { countNdjsonRows, planNdjson, readNdjsonRows } from './ndjson-import.ts';
import { countVcardRows, planVcard, readVcardRows } from './vcard-import.ts';

/** Rows a preview shows. */
export const PREVIEW_ROWS = 20;

/**
 * How to read a file: its format, encoding, CSV delimiter, the column mapping and the custom
 * fields to define. Reads the start of the file (and further only while a new field's type is
 * unsure). Throws a `validation_failed` DomainError for a file, mapping or region it cannot use
 * (`file`, `mapping.<column>`, `default_region`).
 */
export async function planImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan> {
  assertReadableOptions(options);
  const head = await readHead(source());
  if (head.length === 0) throw invalidField('file', 'is empty');
  const encoding = detectEncoding(head);
  const headText = decodeHead(head, encoding);
  const format = detectFormat(contentType, headText);
  switch (format) {
    case 'csv':
      return planCsv(source, encoding, headText, options, ctx);
    case 'ndjson':
      return planNdjson(source, encoding, options, ctx);
    case 'vcard':
      return planVcard(source, encoding, options, ctx);
  }
}

/** Every record of the file as a mapped row, in file order, streamed (memory does not grow with the file). */
export function readImportRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow> {
  switch (plan.format) {
    case 'csv':
      return readCsvRows(source, plan, options, ctx);
    case 'ndjson':
      return readNdjsonRows(source, plan, options, ctx);
    case 'vcard':
      return readVcardRows(source, plan, options, ctx);
  }
}

/** The number of rows readImportRows gives (blank records are not rows), streamed. */
export function countImportRows(source: ByteSource, plan: ImportPlan): Promise<number> {
  switch (plan.format) {
    case 'csv':
      return countCsvRows(source, plan);
    case 'ndjson':
      return countNdjsonRows(source, plan);
    case 'vcard':
      return countVcardRows(source, plan);
  }
}

/** The plan and the first rows as they would be stored: what the console's mapping screen shows. */
export async function previewImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPreview> {
  const plan = await planImport(source, contentType, options, ctx);
  const rows: ImportPreview['rows'] = [];
  for await (const row of readImportRows(source, plan, options, ctx)) {
    rows.push({ row: row.row, ...storedRowOf(row, plan, ctx) });
    if (rows.length >= PREVIEW_ROWS) break;
  }
  return { format: plan.format, encoding: plan.encoding, delimiter: plan.delimiter, columns: plan.columns, fields_to_define: plan.fieldsToDefine, rows };
}
