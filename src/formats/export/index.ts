import type { ExportFormat, VCardVersion, WriterFactory } from '../../core/exports/export.types.ts';
import { csvWriter } from './csv.writer.ts';
import { ndjsonWriter } from './ndjson.writer.ts';
import { vcardWriter } from './vcard.writer.ts';

/** How each format is sent: its media type and file extension. */
export const EXPORT_MEDIA: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  vcard: { contentType: 'text/vcard; charset=utf-8', extension: 'vcf' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
};

/** The writer of a format (vCard in the version asked for). */
export function writerFor(format: ExportFormat, version: VCardVersion = '3.0'): WriterFactory {
  switch (format) {
    case 'csv':
      return csvWriter;
    case 'ndjson':
      return ndjsonWriter;
    case 'vcard':
      return vcardWriter(version);
  }
}
