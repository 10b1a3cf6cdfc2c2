import type { ByteSource, ImportOptions, ImportPlan, ImportPreview, ImportReadContext, ImportRow } from './import.types.ts';

/**
 * The reading half of an import, as the job sees it: formats, mapping and preview
 * (src/core/imports and src/formats implement it). Passed in, so that the job runner knows
 * nothing of file formats.
 */
export interface ImportReader {
  planImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan>;
  readImportRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow>;
  countImportRows(source: ByteSource, plan: ImportPlan): Promise<number>;
  previewImport(source: ByteSource, contentType: string | undefined, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPreview>;
}
