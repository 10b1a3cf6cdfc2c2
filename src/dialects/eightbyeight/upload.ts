import type { FastifyRequest } from 'fastify';
import { invalidField } from '../../core/errors.ts';
import { assertMultipartBoundary } from '../shared/multipart.ts';
import { csvRecords } from './csv.ts';
import type { UploadRecord } from './upload-rows.ts';
import { isZip, xlsxRecords } from './xlsx.ts';

/**
 * The createContacts upload: a multipart form with one file, CSV or Excel ("The file can be
 * either CSV or Excel", 8x8's file), told apart by content rather than by name: an .xlsx file is
 * a zip archive. The 30 MB limit is the multipart reader's (index.ts): past it, 413.
 */

export interface UploadForm {
  file: { name: string; data: Buffer };
  fields: Record<string, string>;
}

/** The file's `fileType` values: "csv" or "xls" (its one value for Excel). */
export type UploadFileType = 'csv' | 'xls';

/** Git's test for a binary file: a NUL byte among its first 8000 bytes. No text CSV has one. */
const TEXT_SNIFF_LENGTH = 8000;

/** The start of an Excel 97-2003 (.xls) workbook, an OLE2 compound file. */
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function readUploadForm(request: FastifyRequest): Promise<UploadForm> {
  if (!request.isMultipart()) throw invalidField('file', 'send the file as multipart/form-data');
  assertMultipartBoundary(request, 'file');
  const fields: Record<string, string> = {};
  let file: UploadForm['file'] | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || file) throw invalidField(part.fieldname, 'send one file, in the field "file"');
      file = { name: part.filename, data: await part.toBuffer() };
    } else fields[part.fieldname] = String(part.value);
  }
  if (!file) throw invalidField('file', 'is required');
  return { file, fields };
}

/** The file's rows and its type; `columns` names them when the file has no header. */
export async function uploadRecords(file: UploadForm['file'], columns: string[] | undefined): Promise<{ fileType: UploadFileType; records: UploadRecord[] }> {
  if (file.data.subarray(0, OLE2_SIGNATURE.length).equals(OLE2_SIGNATURE)) {
    throw invalidField('file', 'is an Excel 97-2003 (.xls) workbook, which is not supported: save it as an Excel Workbook (.xlsx) or as CSV');
  }
  if (isZip(file.data)) return { fileType: 'xls', records: await xlsxRecords(file.data, columns) };
  if (/\.xls[xmb]?$/i.test(file.name)) throw invalidField('file', 'is named as an Excel file but is not one');
  if (file.data.subarray(0, TEXT_SNIFF_LENGTH).includes(0)) {
    throw invalidField('file', 'is neither a CSV (text) file nor an Excel (.xlsx) workbook; a CSV file must be UTF-8 (or ASCII) text');
  }
  return { fileType: 'csv', records: csvRecords(file.data, columns) };
}
