import { countImportRows, planImport, previewImport, readImportRows } from './import-reader.ts';
import type { ByteSource, ImportOptions, ImportPlan, ImportPreview, ImportReadContext, ImportRow } from './import.types.ts';

/**
 * The reading half of an import as the job sees it (formats, mapping, preview): passed in, so
 * that the job runner knows nothing of file formats, and a test can bring its own.
 */
export interface ImportReader {
  planImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan>;
  readImportRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow>;
  countImportRows(source: ByteSource, plan: ImportPlan): Promise<number>;
  previewImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPreview>;
}

/** The readers of import-reader.ts (CSV, NDJSON, vCard). */
export const DEFAULT_IMPORT_READER: ImportReader = { planImport, readImportRows, countImportRows, previewImport };
