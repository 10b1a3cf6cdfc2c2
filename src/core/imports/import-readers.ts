import { DomainError } from '../errors.ts';
import type { ImportReader } from './import-reader.ts';

/** Until the file readers are in: every import is refused with a clear message. */
const notYet = (): never => {
  throw new DomainError('validation_failed', 'imports are not available in this build: no file reader');
};

export const DEFAULT_IMPORT_READER: ImportReader = { planImport: notYet, readImportRows: notYet, countImportRows: notYet, previewImport: notYet };
